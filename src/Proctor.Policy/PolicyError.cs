using Proctor.Policy.Options;

namespace Proctor.Policy;

/// <summary>
/// One problem in a policy document. <see cref="Path"/> is the field's key path
/// (<c>rules[2].condition</c>, <c>timeWindows.business.timeZone</c>); a problem in a rule also has
/// the rule's <see cref="RuleIndex"/>, its <see cref="RuleId"/> (when it has one) and the
/// <see cref="Field"/> within it. <see cref="Location"/> is where the field was written, when known.
/// </summary>
public sealed record PolicyError(string Path, string Message)
{
    public int? RuleIndex { get; init; }

    public string? RuleId { get; init; }

    /// <summary>The field within the rule, e.g. <c>targets.tools[1]</c>.</summary>
    public string? Field { get; init; }

    public SourceLocation? Location { get; init; }

    /// <summary>The path with the rule's id beside its index: <c>rules[2](big-transfers).condition</c>.</summary>
    public string DisplayPath => RuleIndex is { } index
        ? $"rules[{index}]" + (RuleId is null ? "" : $"({RuleId})") + (string.IsNullOrEmpty(Field) ? "" : "." + Field)
        : Path;

    public override string ToString() =>
        DisplayPath + ": " + (Location is { } at ? $"line {at.Line}, column {at.Column}: " : "") + Message;
}
