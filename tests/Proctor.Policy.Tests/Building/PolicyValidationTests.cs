namespace Proctor.Policy.Tests.Building;

/// <summary>Accepted and rejected policy documents, with the exact messages an operator reads.</summary>
public sealed class PolicyValidationTests
{
    private const string Valid = "rules: [{ id: r, effect: allow, subjects: { everyone: true }, targets: { servers: [bank] } }]";

    public static TheoryData<string> Accepted => new()
    {
        "",
        "rules: []",
        Valid,
        "rules: [{ id: a.b:c-1_2, effect: deny, subjects: { users: [alice], groups: [g], agentKeys: [\"*\"] }, targets: { servers: [\"*\"], tools: [\"*\"], prompts: [p], resources: [\"x://**\"] } }]",
        "rules: [{ id: r, effect: approve, subjects: { everyone: true }, targets: { servers: [bank] }, approval: { approvers: [sup], minApprovals: 2 }, message: m, link: \"https://x.example/a\" }]",
        "rules: [{ id: r, effect: allow, subjects: { everyone: true }, targets: { servers: [bank] }, require: { mfa: true, amr: [hwk], acr: [x], scopes: [s], maxAuthAge: 1h30m } }]",
        "timeWindows: { w: { timeZone: Europe/London, days: [mon, wed-fri, SUN], hours: \"22:00-06:00\" } }\nrules: [{ id: r, effect: deny, subjects: { everyone: true }, targets: { servers: [b] }, during: w }]",
        "roles: { r1: { users: [a], groups: [b], agentKeys: [c] } }\nrules: [{ id: r, effect: allow, subjects: { roles: [r1] }, targets: { servers: [b] } }]",
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Build_ValidDocument_Succeeds(string yaml) => Assert.Empty(Policies.Errors(yaml));

    public static TheoryData<string, string> Rejected => new()
    {
        // YAML and shape
        { "rules: [", "policy.yaml: line 2, column 1: while parsing a node, did not find expected node content" },
        { "rules: []\n---\nrules: []", "policy.yaml: line 3, column 1: a policy file holds one YAML document; remove the \"---\" that starts a second one" },
        { "rule: []", "rule: line 1, column 7: unknown key \"rule\"; did you mean 'rules'?; known keys here: roles, timeWindows, rules" },
        { "rules: { id: r }", "rules: line 1, column 8: expected a list of rules (each starting with \"- id: …\"), found a mapping" },
        { "rules: [{ id: r, effect: allow, subject: { everyone: true }, targets: { servers: [b] } }]",
            "rules[0](r).subject: line 1, column 42: unknown key \"subject\"; did you mean 'subjects'?; known keys here: id, description, effect, subjects, targets, require, during, outside, condition, message, link, approval" },
        { "rules: [{ effect: allow, id: r, subjects: { everyone: yes }, targets: { servers: [b] } }]", "rules[0](r).subjects.everyone: line 1, column 55: expected true or false, found \"yes\"" },
        { "rules: [{ id: r, effect: allow, subjects: { groups: analysts }, targets: { servers: [b] } }]", "rules[0](r).subjects.groups: line 1, column 53: expected a list, found \"analysts\"; write e.g. [analysts]" },
        { "rules: [{ id: r, effect: [allow], subjects: { everyone: true }, targets: { servers: [b] } }]", "rules[0](r).effect: line 1, column 26: expected one value, found a list; write e.g. allow, deny, approve or grant" },

        // id and effect
        { "rules: [{ effect: allow, subjects: { everyone: true }, targets: { servers: [b] } }]", "rules[0].id: line 1, column 9: is required: a short stable name that decisions and the audit trail will cite, e.g. \"analysts-search-customers\"" },
        { "rules: [{ id: \"has space\", effect: allow, subjects: { everyone: true }, targets: { servers: [b] } }]",
            "rules[0].id: line 1, column 15: \"has space\" is not a valid rule id; use letters, digits, '.', '_', '-' and ':' (at most 128), starting with a letter or digit" },
        { "rules: [{ id: default-deny, effect: allow, subjects: { everyone: true }, targets: { servers: [b] } }]", "rules[0].id: line 1, column 15: \"default-deny\" is reserved for decisions no rule made; choose another id" },
        { "rules: [{ id: r, effect: permit, subjects: { everyone: true }, targets: { servers: [b] } }]", "rules[0](r).effect: line 1, column 26: \"permit\" is not an effect; write allow, deny, approve or grant" },
        { "rules: [{ id: r, effect: alow, subjects: { everyone: true }, targets: { servers: [b] } }]", "rules[0](r).effect: line 1, column 26: \"alow\" is not an effect; write allow, deny, approve or grant; did you mean 'allow'?" },

        // subjects
        { "rules: [{ id: r, effect: allow, targets: { servers: [b] } }]", "rules[0](r).subjects: line 1, column 9: is required: say who the rule is for, e.g. { groups: [analysts] } or { everyone: true }" },
        { "rules: [{ id: r, effect: allow, subjects: {}, targets: { servers: [b] } }]", "rules[0](r).subjects: line 1, column 43: names nobody: list users, groups, agentKeys or roles, or write everyone: true, e.g. { groups: [analysts] } or { everyone: true }" },
        { "rules: [{ id: r, effect: allow, subjects: { groups: [] }, targets: { servers: [b] } }]", "rules[0](r).subjects: line 1, column 43: names nobody: list users, groups, agentKeys or roles, or write everyone: true, e.g. { groups: [analysts] } or { everyone: true }" },
        { "rules: [{ id: r, effect: allow, subjects: { everyone: true, groups: [g] }, targets: { servers: [b] } }]", "rules[0](r).subjects.everyone: line 1, column 55: everyone: true already covers every caller; remove the other entries or everyone" },
        { "rules: [{ id: r, effect: allow, subjects: { groups: [\"\"] }, targets: { servers: [b] } }]", "rules[0](r).subjects.groups[0]: line 1, column 54: \"\" is empty or has spaces around it; write a group name such as \"analysts\"" },
        { "roles: { sup: { groups: [s] } }\nrules: [{ id: r, effect: allow, subjects: { roles: [supervisors] }, targets: { servers: [b] } }]",
            "rules[0](r).subjects.roles[0]: line 2, column 53: \"supervisors\" is not a role: define it under roles:, or use one of: admin, auditor, sup; did you mean 'sup'?" },
        { "roles: { sup: { roles: [x] } }", "roles.sup.roles: line 1, column 24: a role lists users, groups and agent keys, not other roles; list the other role's members here" },
        { "roles: { admin: { groups: [x] } }", "roles.admin: line 1, column 17: \"admin\" is a role the gateway itself grants; choose another name for this role" },

        // targets
        { "rules: [{ id: r, effect: allow, subjects: { everyone: true } }]", "rules[0](r).targets: line 1, column 9: is required: say which servers (and tools, prompts or resources) the rule covers, e.g. { servers: [bank], tools: [search_customers] }" },
        { "rules: [{ id: r, effect: allow, subjects: { everyone: true }, targets: { tools: [t] } }]", "rules[0](r).targets.servers: line 1, column 72: is required: list the servers the rule covers, or write [\"*\"] for every server" },
        { "rules: [{ id: r, effect: allow, subjects: { everyone: true }, targets: { servers: [b], tools: [] } }]", "rules[0](r).targets.tools: line 1, column 95: is an empty list, which covers no tools; list names or patterns, or remove the key" },
        { "rules: [{ id: r, effect: allow, subjects: { everyone: true }, targets: { servers: [b], tools: [\"get_[ab]\"] } }]",
            "rules[0](r).targets.tools[0]: line 1, column 96: \"get_[ab]\" is not a valid pattern: '[' is reserved in patterns (character classes and alternatives are not supported); list each name, or escape it as '\\['" },

        // require, windows, condition, message, link, approval
        { "rules: [{ id: r, effect: deny, subjects: { everyone: true }, targets: { servers: [b] }, require: { mfa: true } }]",
            "rules[0](r).require: line 1, column 98: a deny rule cannot have require: it would deny only callers who meet it. To refuse callers without MFA, write condition: \"!caller.mfa\" on the deny rule, or put require on the allow rule" },
        { "rules: [{ id: r, effect: allow, subjects: { everyone: true }, targets: { servers: [b] }, require: { maxAuthAge: 15 } }]",
            "rules[0](r).require.maxAuthAge: line 1, column 113: \"15\" is not a duration; write a number and a unit, e.g. \"15m\", \"8h\" or \"1h30m\" (units s, m, h, d)" },
        { "rules: [{ id: r, effect: allow, subjects: { everyone: true }, targets: { servers: [b] }, require: {} }]", "rules[0](r).require: line 1, column 99: requires nothing; list mfa, amr, acr, scopes or maxAuthAge, or remove require" },
        { "rules: [{ id: r, effect: allow, subjects: { everyone: true }, targets: { servers: [b] }, during: business }]", "rules[0](r).during: line 1, column 98: \"business\" is not a time window; define it under timeWindows:" },
        { "timeWindows: { w: { timeZone: Mars/Olympus, days: [mon], hours: \"09:00-17:00\" } }",
            "timeWindows.w.timeZone: line 1, column 31: \"Mars/Olympus\" is not a time zone this machine knows; write an IANA name such as \"America/New_York\", \"Europe/London\" or \"UTC\" (is the tzdata package installed?)" },
        { "timeWindows: { w: { timeZone: UTC, days: [monday], hours: \"09:00-17:00\" } }", "timeWindows.w.days[0]: line 1, column 43: \"monday\" is not a day; write mon, tue, wed, thu, fri, sat, sun, or a range such as mon-fri" },
        { "timeWindows: { w: { timeZone: UTC, days: [mon], hours: \"9-17\" } }",
            "timeWindows.w.hours: line 1, column 56: \"9-17\" is not a range of hours; write e.g. \"09:00-17:00\" (24-hour local time, end excluded; \"22:00-06:00\" runs past midnight)" },
        { "timeWindows: { w: { timeZone: UTC, days: [mon], hours: \"09:00-09:00\" } }", "timeWindows.w.hours: line 1, column 56: \"09:00-09:00\" starts and ends at the same time; for the whole day write \"00:00-24:00\"" },
        { "rules: [{ id: r, effect: allow, subjects: { everyone: true }, targets: { servers: [b] }, condition: \"args.amount >\" }]",
            "rules[0](r).condition: line 1, column 101: at character 14 (the end): expected a value, a name or '(', found the end of the condition" },
        { "rules: [{ id: r, effect: allow, subjects: { everyone: true }, targets: { servers: [b] }, condition: \"args.a.startswith('x')\" }]",
            "rules[0](r).condition: line 1, column 101: at character 8 (near 'startswith('x')'): unknown method 'startswith'; did you mean 'startsWith'?; methods: size, startsWith, endsWith, contains, matches, lowerAscii, upperAscii, all, exists, exists_one, map, filter" },
        { "rules: [{ id: r, effect: allow, subjects: { everyone: true }, targets: { servers: [b] }, link: \"ftp://x\" }]", "rules[0](r).link: line 1, column 96: \"ftp://x\" is not an http(s) URL; write e.g. \"https://wiki.bank.example/access-requests\"" },
        { "rules: [{ id: r, effect: allow, subjects: { everyone: true }, targets: { servers: [b] }, approval: { approvers: [s] } }]", "rules[0](r).approval: line 1, column 100: only an approve or grant rule has approvers; change the effect or remove approval" },
        { "rules: [{ id: r, effect: approve, subjects: { everyone: true }, targets: { servers: [b] }, approval: { minApprovals: 0 } }]", "rules[0](r).approval.minApprovals: line 1, column 118: 0 is not between 1 and 10" },
        { "rules: [{ id: r, effect: allow, subjects: { everyone: true }, targets: { servers: [b] }, during: w, outside: w }]", "rules[0](r).outside: line 1, column 110: a rule has either during or outside, not both; split it into two rules" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Build_InvalidDocument_ExactMessage(string yaml, string expected)
    {
        Assert.Equal(expected, Assert.Single(Policies.Errors(yaml, new Proctor.Policy.Building.PolicyBuildSettings { HostRoles = ["admin", "auditor"] })));
    }

    [Fact]
    public void Build_DuplicateIds_NamesTheSecondRule() =>
        Assert.Equal("rules[1].id: line 3, column 11: \"r\" is already the id of an earlier rule; each rule needs its own id, since decisions cite it",
            Assert.Single(Policies.Errors("rules:\n  - { id: r, effect: allow, subjects: { everyone: true }, targets: { servers: [b] } }\n  - { id: r, effect: deny, subjects: { everyone: true }, targets: { servers: [b] } }")));

    [Fact]
    public void Build_ManyProblems_ReportsEveryOneBeforeFailing()
    {
        var errors = Policies.Errors("""
            rules:
              - id: first
                effect: allow
                subjects: {}
                targets: { servers: [] }
              - id: second
                effect: maybe
                subjects: { everyone: true }
                targets: { servers: [b] }
                condition: caller.x
            """);

        Assert.Equal(
            [
                "rules[0](first).subjects: line 4, column 15: names nobody: list users, groups, agentKeys or roles, or write everyone: true, e.g. { groups: [analysts] } or { everyone: true }",
                "rules[0](first).targets.servers: line 5, column 25: is required: list the servers the rule covers, or write [\"*\"] for every server",
                "rules[1](second).effect: line 7, column 13: \"maybe\" is not an effect; write allow, deny, approve or grant",
                "rules[1](second).condition: line 10, column 16: at character 8 (near 'x'): caller has no field 'x'; fields: subject, issuer, method, agentKey, groups, roles, scopes, amr, acr, mfa, authAge",
            ],
            errors);
    }

    [Fact]
    public void Build_ErrorInRule_CarriesIndexIdAndField()
    {
        var error = Assert.Single(Policies.Result("rules: [{ id: big, effect: allow, subjects: { everyone: true }, targets: { servers: [b] }, condition: \"1 +\" }]").Errors);

        Assert.Equal((0, "big", "condition", 1L), (error.RuleIndex, error.RuleId, error.Field, error.Location!.Value.Line));
    }
}
