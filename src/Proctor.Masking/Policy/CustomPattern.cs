namespace Proctor.Masking.Policy;

/// <summary>An operator-defined detector: every match of <see cref="Pattern"/> is an entity named <see cref="Name"/>.</summary>
/// <param name="Name">Entity type name used in rules, reports and the redaction label (lowercase, <c>a-z0-9_</c>).</param>
/// <param name="Pattern">A .NET regular expression; it runs with a match timeout over every scanned string.</param>
public sealed record CustomPattern(string Name, string Pattern);

/// <summary>Exact terms (whole words, ignoring case) that are masked as an entity named <see cref="Name"/>: project code names, customer names.</summary>
public sealed record DenyList(string Name, IReadOnlyList<string> Terms);

/// <summary>Rules that apply only to one upstream server, or to one tool of it when <see cref="Tool"/> is set; they take precedence over broader rules.</summary>
public sealed record ScopeOverride(string Server, string? Tool, IReadOnlyList<MaskingRule> Rules);
