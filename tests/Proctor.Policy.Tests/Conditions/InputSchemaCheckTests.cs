using System.Text.Json.Nodes;

namespace Proctor.Policy.Tests.Conditions;

/// <summary>
/// Decision 0036: a condition reading an argument field by name is checked against the covered tool's
/// <c>inputSchema</c>. Generated: every way a condition names a field, against every schema that closes the question
/// (reported) and every one that does not (not reported), with the declared field beside each as a hard negative.
/// </summary>
public sealed class InputSchemaCheckTests
{
    /// <summary>Ways a condition names the top-level field <c>{0}</c>.</summary>
    private static readonly string[] TopLevelForms =
    [
        "args.{0} > 1",
        "args['{0}'] > 1",
        "args[\"{0}\"] > 1",
        "has(args.{0})",
        "'{0}' in args",
        "!has(args.{0}) || args.{0} <= 10000",
        "size(args.{0}) > 0",
        "args.{0}.startsWith('GL-')",
        "args.{0}.exists(x, x == 1)",
        "args.{0} in [1, 2]",
        "caller.groups.exists(g, g == 'treasury') && double(args.{0}) > 1.5",
        "args.{0}[0] == 1",
    ];

    /// <summary>Ways a condition names <c>{0}</c> inside the declared object <c>account</c>.</summary>
    private static readonly string[] NestedForms =
    [
        "args.account.{0} == 'x'",
        "args['account']['{0}'] == 'x'",
        "args.account['{0}'] == 'x'",
        "has(args.account.{0})",
    ];

    /// <summary>Schemas for which a field absent from <c>properties</c> is absent: reported.</summary>
    private static readonly string[] ClosedSchemas =
    [
        """{"type": "object", "properties": {"amount": {"type": "number"}, "account": {"type": "object", "properties": {"id": {}, "owner": {}}}}}""",
        """{"type": "object", "properties": {"amount": {}, "account": {"type": "object", "properties": {"id": {}, "owner": {}}, "additionalProperties": false}}, "additionalProperties": false, "required": ["amount"]}""",
    ];

    /// <summary>Schemas that cannot say a top-level field is absent: never reported.</summary>
    private static readonly string?[] OpenSchemas =
    [
        null,
        "true",
        """{"type": "object"}""",
        """{"type": "object", "properties": {}, "additionalProperties": true}""",
        """{"type": "object", "properties": {"amount": {}}, "additionalProperties": {"type": "string"}}""",
        """{"type": "object", "properties": {"amount": {}}, "unevaluatedProperties": true}""",
        """{"type": "object", "properties": {"amount": {}}, "patternProperties": {"^x-": {}}}""",
        """{"type": "object", "properties": {"amount": {}}, "allOf": [{"properties": {"amout": {}}}]}""",
        """{"type": "object", "properties": {"amount": {}}, "anyOf": [{"required": ["amount"]}]}""",
        """{"type": "object", "properties": {"amount": {}}, "$ref": "#/$defs/more"}""",
        """{"type": "object", "properties": "amount"}""",
    ];

    /// <summary>Schemas that cannot say a field of <c>account</c> is absent: nested reads never reported.</summary>
    private static readonly string[] OpenNestedSchemas =
    [
        """{"type": "object", "properties": {"account": {}}}""",
        """{"type": "object", "properties": {"account": {"type": "object"}}}""",
        """{"type": "object", "properties": {"account": {"type": "object", "properties": {"id": {}}, "additionalProperties": true}}}""",
        """{"type": "object", "properties": {"account": {"oneOf": [{"type": "string"}, {"type": "object", "properties": {"id": {}}}]}}}""",
    ];

    public static TheoryData<string, string> TopLevelReported() => Cases(TopLevelForms, ClosedSchemas);

    public static TheoryData<string, string> NestedReported() => Cases(NestedForms, ClosedSchemas);

    public static TheoryData<string, string?> TopLevelOpen() => Cases(TopLevelForms, OpenSchemas);

    public static TheoryData<string, string> NestedOpen() => Cases(NestedForms, OpenNestedSchemas);

    [Theory]
    [MemberData(nameof(TopLevelReported))]
    public void CheckInputSchema_TopLevelFieldNotDeclared_IsReportedWithTheClosestField(string form, string schema)
    {
        var model = Policy(string.Format(form, "amout"));

        var error = Assert.Single(model.CheckInputSchema("bank", "transfer_funds", JsonNode.Parse(schema)));

        Assert.Equal(("r", "condition", "rules[0].condition"), (error.RuleId, error.Field, error.Path));
        Assert.Equal("reads args.amout, but tool 'transfer_funds' on server 'bank' declares no 'amout' in its inputSchema (it declares: amount, account); did you mean 'amount'?", error.Message);
    }

    [Theory]
    [MemberData(nameof(TopLevelReported))]
    public void CheckInputSchema_TopLevelFieldDeclared_NothingReported(string form, string schema) =>
        Assert.Empty(Policy(string.Format(form, "amount")).CheckInputSchema("bank", "transfer_funds", JsonNode.Parse(schema)));

    [Theory]
    [MemberData(nameof(NestedReported))]
    public void CheckInputSchema_NestedFieldNotDeclared_IsReportedAtItsLevel(string form, string schema)
    {
        var error = Assert.Single(Policy(string.Format(form, "ownr")).CheckInputSchema("bank", "transfer_funds", JsonNode.Parse(schema)));

        Assert.Equal("reads args.account.ownr, but tool 'transfer_funds' on server 'bank' declares no 'ownr' in its inputSchema (it declares: id, owner); did you mean 'owner'?", error.Message);
    }

    [Theory]
    [MemberData(nameof(NestedReported))]
    public void CheckInputSchema_NestedFieldDeclared_NothingReported(string form, string schema) =>
        Assert.Empty(Policy(string.Format(form, "owner")).CheckInputSchema("bank", "transfer_funds", JsonNode.Parse(schema)));

    [Theory]
    [MemberData(nameof(NestedReported))]
    public void CheckInputSchema_NestedUnderAnUndeclaredObject_ReportsTheObject(string form, string schema)
    {
        var nested = string.Format(form, "owner").Replace("account", "accunt", StringComparison.Ordinal);

        var error = Assert.Single(Policy(nested).CheckInputSchema("bank", "transfer_funds", JsonNode.Parse(schema)));

        Assert.StartsWith("reads args.accunt.owner, but tool 'transfer_funds' on server 'bank' declares no 'accunt' in its inputSchema", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("did you mean 'account'?", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TopLevelOpen))]
    public void CheckInputSchema_SchemaAdmitsOtherFields_NothingReported(string form, string? schema) =>
        Assert.Empty(Policy(string.Format(form, "amout")).CheckInputSchema("bank", "transfer_funds", schema is null ? null : JsonNode.Parse(schema)));

    [Theory]
    [MemberData(nameof(NestedOpen))]
    public void CheckInputSchema_NestedLevelAdmitsOtherFields_NothingReported(string form, string schema) =>
        Assert.Empty(Policy(string.Format(form, "ownr")).CheckInputSchema("bank", "transfer_funds", JsonNode.Parse(schema)));

    [Theory]
    [InlineData("args[caller.subject] == 1")]                                 // a computed key names no field
    [InlineData("args.amount.exists(amout, amout == 1)")]                     // a loop variable is not args
    [InlineData("args.account.exists(k, k == 'amout')")]                      // a key compared, not read
    [InlineData("'amout' in args.account")]                                   // may be list membership: names no field
    [InlineData("caller.subject in args")]                                    // a key that is not written down
    [InlineData("target.name == 'amout' && caller.subject == 'amout'")]       // reads no argument at all
    [InlineData("args.amount[0] == 1 && args.account.id == 'x'")]             // every field declared
    public void CheckInputSchema_ReadsThatNameNoUndeclaredField_NothingReported(string condition) =>
        Assert.Empty(Policy(condition).CheckInputSchema("bank", "transfer_funds", JsonNode.Parse(ClosedSchemas[0])));

    [Theory]
    [InlineData("bank", "get_customer")]     // a tool the rule does not cover
    [InlineData("crm", "transfer_funds")]    // a server the rule does not cover
    public void CheckInputSchema_ToolNotCoveredByTheRule_NothingReported(string server, string tool) =>
        Assert.Empty(Policy("args.amout > 1").CheckInputSchema(server, tool, JsonNode.Parse(ClosedSchemas[0])));

    [Fact]
    public void CheckInputSchema_HugeSchemaFromTheUpstream_MessageBounded()
    {
        var properties = new JsonObject { ["amount"] = new JsonObject() };
        for (var i = 0; i < 5000; i++)
        {
            properties[new string('x', 1000) + i] = new JsonObject();
        }

        var error = Assert.Single(Policy("args.amout > 1").CheckInputSchema("bank", "transfer_funds", new JsonObject { ["properties"] = properties }));

        Assert.True(error.Message.Length < 2000, error.Message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith($", and 4981 more); did you mean 'amount'?", error.Message, StringComparison.Ordinal);
        Assert.Contains("(it declares: amount, " + new string('x', 64) + "…, ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckInputSchema_SeveralRulesAndFields_ReportedInDocumentOrder()
    {
        var model = Policies.Build("""
            rules:
              - { id: deny-big, effect: deny, subjects: { everyone: true }, targets: { servers: [bank], tools: ["transfer_*"] }, condition: "args.amout > 1000000" }
              - { id: allow-small, effect: allow, subjects: { everyone: true }, targets: { servers: [bank], tools: [transfer_funds] }, condition: "args.amount <= 10 && args.mem != '' && has(args.account.ownr)" }
              - { id: needs-approval, effect: approve, subjects: { everyone: true }, targets: { servers: [bank], tools: [transfer_funds] }, condition: "'memo' in args" }
            """);

        var errors = model.CheckInputSchema("bank", "transfer_funds", JsonNode.Parse(ClosedSchemas[0])).Select(e => $"{e.RuleId}: {e.Message}");

        Assert.Equal(
            [
                "deny-big: reads args.amout, but tool 'transfer_funds' on server 'bank' declares no 'amout' in its inputSchema (it declares: amount, account); did you mean 'amount'?",
                "allow-small: reads args.mem, but tool 'transfer_funds' on server 'bank' declares no 'mem' in its inputSchema (it declares: amount, account)",
                "allow-small: reads args.account.ownr, but tool 'transfer_funds' on server 'bank' declares no 'ownr' in its inputSchema (it declares: id, owner); did you mean 'owner'?",
                "needs-approval: reads args.memo, but tool 'transfer_funds' on server 'bank' declares no 'memo' in its inputSchema (it declares: amount, account)",
            ],
            errors);
    }

    private static PolicyModel Policy(string condition) => Policies.Build($"""
        rules:
          - id: r
            effect: allow
            subjects: {"{"} everyone: true {"}"}
            targets: {"{"} servers: [bank], tools: [transfer_funds] {"}"}
            condition: |-
              {condition}
        """);

    private static TheoryData<string, T> Cases<T>(string[] forms, T[] schemas)
    {
        var data = new TheoryData<string, T>();
        foreach (var form in forms)
        {
            foreach (var schema in schemas)
            {
                data.Add(form, schema);
            }
        }

        return data;
    }
}
