namespace Proctor.Policy.Options;

/// <summary>
/// A policy document as the operator wrote it (docs/policy.md): named roles and time windows, and
/// the rules in order. Values are kept as written; <see cref="Building.PolicyBuilder"/> validates
/// them and builds the <see cref="PolicyModel"/>. <see cref="Locations"/> maps a field's path
/// (<c>rules[2].condition</c>) to where it was written, so errors can point at the line.
/// </summary>
public sealed class PolicyOptions
{
    public Dictionary<string, SubjectOptions> Roles { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, TimeWindowOptions> TimeWindows { get; } = new(StringComparer.Ordinal);

    public List<RuleOptions> Rules { get; } = [];

    public Dictionary<string, SourceLocation> Locations { get; } = new(StringComparer.Ordinal);
}

/// <summary>A 1-based line and column in the policy's source text.</summary>
public readonly record struct SourceLocation(long Line, long Column);

/// <summary>One rule: who (<see cref="Subjects"/>), what (<see cref="Targets"/>), when, under which condition, and the effect.</summary>
public sealed class RuleOptions
{
    public string? Id { get; set; }

    /// <summary>For people reading the policy; not shown to callers.</summary>
    public string? Description { get; set; }

    /// <summary><c>allow</c>, <c>deny</c> or <c>approve</c>.</summary>
    public string? Effect { get; set; }

    public SubjectOptions? Subjects { get; set; }

    public TargetOptions? Targets { get; set; }

    /// <summary>Facts the caller's token must show for an allow or approve rule to apply.</summary>
    public RequirementOptions? Require { get; set; }

    /// <summary>The name of a time window the rule applies within.</summary>
    public string? During { get; set; }

    /// <summary>The name of a time window the rule applies outside of.</summary>
    public string? Outside { get; set; }

    /// <summary>A CEL expression over <c>args</c>, <c>caller</c> and <c>target</c>; the rule applies when it is true.</summary>
    public string? Condition { get; set; }

    /// <summary>Shown to the caller when this rule decides.</summary>
    public string? Message { get; set; }

    /// <summary>A URL shown with the message (how to ask for access, the runbook).</summary>
    public string? Link { get; set; }

    /// <summary>Who approves, for an approve rule.</summary>
    public ApprovalOptions? Approval { get; set; }
}

/// <summary>Who a rule (or a role) is about. A caller matches when any one entry matches.</summary>
public sealed class SubjectOptions
{
    /// <summary>Every caller the gateway let in.</summary>
    public bool Everyone { get; set; }

    /// <summary>Subject ids (the token's <c>sub</c>; agent keys are <c>agent:NAME</c>).</summary>
    public List<string> Users { get; set; } = [];

    public List<string> Groups { get; set; } = [];

    /// <summary>Agent key names; <c>"*"</c> is every agent key.</summary>
    public List<string> AgentKeys { get; set; } = [];

    /// <summary>Roles defined under <c>roles:</c>, or roles the host grants.</summary>
    public List<string> Roles { get; set; } = [];
}

/// <summary>
/// What a rule is about: servers (globs), and within them tools, prompts and resources (globs). A
/// kind left out is not covered unless no kind is listed at all: then the rule covers the whole
/// server (every tool, prompt, resource and server-level method).
/// </summary>
public sealed class TargetOptions
{
    public List<string> Servers { get; set; } = [];

    public List<string>? Tools { get; set; }

    public List<string>? Prompts { get; set; }

    public List<string>? Resources { get; set; }
}

/// <summary>Facts of the caller's token. All listed requirements must hold.</summary>
public sealed class RequirementOptions
{
    /// <summary>Multi-factor sign-in, as the token's <c>amr</c> shows it.</summary>
    public bool Mfa { get; set; }

    /// <summary>At least one of these <c>amr</c> values.</summary>
    public List<string> Amr { get; set; } = [];

    /// <summary>The token's <c>acr</c> is one of these.</summary>
    public List<string> Acr { get; set; } = [];

    /// <summary>Every one of these OAuth scopes.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>Signed in at most this long ago (<c>auth_time</c>), e.g. <c>15m</c>.</summary>
    public string? MaxAuthAge { get; set; }
}

/// <summary>Days and hours in an IANA time zone, e.g. business hours in <c>America/New_York</c>.</summary>
public sealed class TimeWindowOptions
{
    public string? TimeZone { get; set; }

    /// <summary><c>mon</c> … <c>sun</c>, or ranges such as <c>mon-fri</c>.</summary>
    public List<string> Days { get; set; } = [];

    /// <summary><c>HH:MM-HH:MM</c>, 24-hour local time; the end is excluded and may be <c>24:00</c>. An end before the start runs past midnight.</summary>
    public string? Hours { get; set; }
}

/// <summary>Who must approve calls that an approve rule holds (the approval flow reads it).</summary>
public sealed class ApprovalOptions
{
    /// <summary>Groups whose members may approve; the requester never can.</summary>
    public List<string> Approvers { get; set; } = [];

    /// <summary>Distinct approvers needed; 1 when not written.</summary>
    public int? MinApprovals { get; set; }
}
