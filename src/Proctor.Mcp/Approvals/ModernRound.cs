using System.Text.Json.Nodes;
using Proctor.Approvals.Requests;

namespace Proctor.Mcp.Approvals;

/// <summary>A 2026-07-28 retry's round: the verified claims of its state and the caller's answers (<c>inputResponses</c>).</summary>
internal sealed record ModernRound(RequestStateClaims Claims, JsonObject Answers)
{
    /// <summary>The caller accepted the status page (URL elicitation), now or in an earlier round.</summary>
    public bool Accepted => Claims.Round == RequestStateRound.Waiting || ApprovalElicitation.Accepted(Answers[ApprovalElicitation.StatusPageInput]);

    /// <summary>The caller declined or cancelled the status page: it does not want to wait, so it is told "not yet" and the call ends.</summary>
    public bool Declined => Claims.Round == RequestStateRound.StatusPage && Answers[ApprovalElicitation.StatusPageInput] is JsonObject && !Accepted;
}
