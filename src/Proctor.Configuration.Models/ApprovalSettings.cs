using Proctor.Configuration.Models.Schema;

namespace Proctor.Configuration.Models;

/// <summary>
/// The <c>approvals:</c> section (docs/approvals.md, decision 0037): how long a call that needs approval is held, how
/// long a request stays valid, and how many calls may be held at once.
/// </summary>
public sealed record ApprovalSettings
{
    /// <summary>The most a hold may last: clients give up on a tool call after 60 s by default (TypeScript SDK <c>DEFAULT_REQUEST_TIMEOUT_MSEC</c>).</summary>
    public static readonly TimeSpan MaxHoldTime = TimeSpan.FromSeconds(55);

    /// <summary>
    /// How long a session-era call waits for a decision before it is answered "not yet" (a tool result with
    /// <c>isError</c>, the approval id and what to do). 20 s: well under the 60 s clients allow, with room for the
    /// approved call's own run.
    /// </summary>
    [Setting("a duration", "\"20s\"")]
    public TimeSpan HoldTime { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a request stays valid: approvers decide, and the approved call runs (once), within this window from the request.</summary>
    [Setting("a duration", "\"1h\"")]
    public TimeSpan Validity { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Calls held at once, all callers together; more are answered at once with <c>approval.too_many_held</c>. Each
    /// held call keeps a request and its connection open; 100 is far above what approvers can attend to at once.
    /// </summary>
    [Setting("a whole number", "100", Minimum = "1", Maximum = "10000")]
    public int MaxHeldCalls { get; init; } = 100;
}
