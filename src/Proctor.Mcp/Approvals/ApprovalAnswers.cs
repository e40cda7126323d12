using System.Globalization;
using System.Text.Json.Nodes;
using Proctor.Approvals.Requests;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Approvals;

/// <summary>
/// What a caller whose call needs approval reads: progress while held, "not yet" as a tool result with <c>isError</c>
/// (the model reads it and can tell its user what to do), and a denial as a refusal. Each names the approval id.
/// </summary>
internal static class ApprovalAnswers
{
    /// <summary>The <c>_meta</c> key of the machine-readable part of a "not yet" result.</summary>
    public const string MetaKey = "proctor/approval";

    /// <summary>Answers the call "not yet": the request exists, nothing ran; call again with the same arguments once approved.</summary>
    public static void NotYet(CallContext context, ApprovalRequest request, Uri status, string reasonCode, string? prefix = null)
    {
        var groups = string.Join(" or ", request.ApproverGroups);
        var text = $"{prefix}Approval required: {(request.Reason ?? "this call needs someone else's approval.").TrimEnd('.')}. "
            + $"This call was not run: it waits for {request.MinApprovals} approval(s) from {groups} (policy rule '{request.Binding.Rule}'). "
            + $"Approval id: {request.Id} (status: {status}). An approver in {groups} approves it with 'proctor approvals approve {request.Id}'. "
            + $"Once it is approved, call {context.Target} again with exactly the same arguments before {Time(request.ExpiresAt)}; it then runs once. Other arguments need another approval.";
        var result = new JsonObject
        {
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }),
            ["isError"] = true,
            ["_meta"] = new JsonObject
            {
                [MetaKey] = new JsonObject
                {
                    ["id"] = request.Id,
                    ["status"] = ApprovalStates.Name(request.State),
                    ["statusUrl"] = status.ToString(),
                    ["expiresAt"] = Time(request.ExpiresAt),
                    ["reason"] = reasonCode,
                },
            },
        };
        context.RefuseWithResult(reasonCode, $"approval {request.Id} is pending; the caller was told to call again once approved", result);
    }

    public static void Denied(CallContext context, ApprovalRequest request)
    {
        var denial = request.Denial!;
        context.Refuse(ReasonCodes.ApprovalDenied,
            $"Denied by {denial.Subject}{(denial.Comment is { Length: > 0 } comment ? $": {comment.TrimEnd('.')}" : "")}. Approval {request.Id} for this call (policy rule '{request.Binding.Rule}') was denied, so the call was not run. Calling again makes a new request.",
            JsonRpcErrorCodes.Refused,
            new JsonObject { ["approval"] = request.Id, ["rule"] = request.Binding.Rule, ["deniedBy"] = denial.Subject });
    }

    /// <summary>A progress notification for the held call, when the client asked for progress (<paramref name="token"/>).</summary>
    public static JsonObject Progress(JsonNode token, ApprovalRequest request, TimeSpan waited, TimeSpan hold) =>
        JsonRpc.Notification(McpMethods.Progress, new JsonObject
        {
            ["progressToken"] = token.DeepClone(),
            ["progress"] = Math.Round(waited.TotalSeconds, 3),
            ["total"] = Math.Round(hold.TotalSeconds, 3),
            ["message"] = $"Waiting for approval {request.Id}: {request.Approvals.Count} of {request.MinApprovals} from {string.Join(" or ", request.ApproverGroups)}; held up to {hold.TotalSeconds:0} s.",
        });

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
