using System.Text.Json.Nodes;
using Proctor.Approvals.Requests;
using Proctor.Mcp.Pipeline;

namespace Proctor.Mcp.Approvals;

/// <summary>
/// What a 2026-07-28 caller whose call needs approval reads (decision 0042): <c>input_required</c> results
/// (basic/patterns/mrtr) carrying the gateway's protected <c>requestState</c>, and the caller's retry taken apart. Each
/// answer leaves the call unrun, recorded as refused like the session era's "not yet" (<c>approval.pending</c>).
/// </summary>
internal static class ModernApprovalAnswers
{
    /// <summary>The gateway's state on the request, when it is one of ours; any other state belongs to a 2026-07-28 upstream.</summary>
    public static string? PresentedState(JsonObject request) =>
        request["params"]?["requestState"] is JsonValue value && value.TryGetValue<string>(out var state) && ApprovalRequestState.IsOurs(state) ? state : null;

    /// <summary>
    /// Takes the gateway's round off the retried request and returns the caller's answers: the upstream receives the
    /// call as first asked, never the gateway's state or answers meant for the gateway.
    /// </summary>
    public static JsonObject TakeInput(CallContext context)
    {
        var parameters = (JsonObject)context.Request["params"]!;
        parameters.Remove("requestState");
        var answers = parameters["inputResponses"] as JsonObject;
        parameters.Remove("inputResponses");
        return answers ?? [];
    }

    /// <summary>Asks the caller why the call is needed before the request is made.</summary>
    public static void AskJustification(CallContext context, string rule, string? reason, string state) =>
        InputRequired(context, ReasonCodes.ApprovalJustificationRequested, "the caller was asked for a justification before the approval request is made",
            new JsonObject { [ApprovalElicitation.JustificationInput] = Elicit(ApprovalElicitation.JustificationForm(context.Target!, rule, reason)) }, state);

    /// <summary>Points the caller at the approval's status page; its retry after accepting waits for the decision.</summary>
    public static void AskToWait(CallContext context, ApprovalRequest request, Uri page, string state) =>
        InputRequired(context, ReasonCodes.ApprovalPending, $"approval {request.Id} is pending; the caller was shown its status page",
            new JsonObject { [ApprovalElicitation.StatusPageInput] = Elicit(ApprovalElicitation.StatusPage(page, request.Id, request.ApproverGroups)) }, state);

    /// <summary>Still pending after a hold: the caller already has the page, so only the state comes back and it retries at once (mrtr client requirement 1).</summary>
    public static void StillWaiting(CallContext context, ApprovalRequest request, string state) =>
        InputRequired(context, ReasonCodes.ApprovalPending, $"approval {request.Id} is still pending after the hold; the caller retries with the state", null, state);

    private static JsonObject Elicit(JsonObject parameters) => new() { ["method"] = "elicitation/create", ["params"] = parameters };

    private static void InputRequired(CallContext context, string reasonCode, string message, JsonObject? inputRequests, string state)
    {
        var result = new JsonObject { ["resultType"] = "input_required" };
        if (inputRequests is not null)
        {
            result["inputRequests"] = inputRequests;
        }

        result["requestState"] = state;
        context.RefuseWithResult(reasonCode, message, result);
    }
}
