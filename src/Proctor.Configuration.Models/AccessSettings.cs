using Proctor.Configuration.Models.Schema;

namespace Proctor.Configuration.Models;

/// <summary>
/// The <c>access:</c> section (docs/access.md, decision 0041): how long just-in-time grants and break-glass may last,
/// and how long a grant request waits for its approvers. What may be granted, to whom, and who approves is the policy's
/// (rules with effect <c>grant</c>); who may break the glass is the <c>breakglass</c> role (<c>identity.roles</c>).
/// </summary>
public sealed record AccessSettings
{
    /// <summary>The longest grant anyone may ask for: one working day, so standing access cannot hide as a "temporary" grant.</summary>
    [Setting("a duration", "\"8h\"")]
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromHours(8);

    /// <summary>The longest break-glass grant: an hour of emergency access, then someone asks again (and is reviewed again).</summary>
    [Setting("a duration", "\"1h\"")]
    public TimeSpan BreakGlassMaxDuration { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a grant request waits for its approvers before it lapses (a day: requests are made ahead of the work).</summary>
    [Setting("a duration", "\"24h\"")]
    public TimeSpan RequestValidity { get; init; } = TimeSpan.FromHours(24);
}
