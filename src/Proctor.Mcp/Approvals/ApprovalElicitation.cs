using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Approvals;

/// <summary>
/// The elicitations the approval flow makes (decision 0042): a form asking the caller why the call is needed, and a
/// URL pointing at the approval's status page. Both eras declare elicitation the same way (2025-11-25 and 2026-07-28,
/// client/elicitation "Capabilities"): <c>elicitation: { form?, url? }</c>, where an empty object means form only.
/// </summary>
internal static class ApprovalElicitation
{
    /// <summary>The <c>inputRequests</c> key of the justification form (2026-07-28) and the property its answer carries.</summary>
    public const string JustificationInput = "proctor-justification";

    /// <summary>The <c>inputRequests</c> key of the status page URL (2026-07-28).</summary>
    public const string StatusPageInput = "proctor-approval";

    private const string JustificationField = "justification";

    /// <summary>What approvers read, at most; the same cut as a justification sent in <c>_meta</c> (CallApprovals).</summary>
    private const int MaxJustificationChars = 1000;

    public static bool SupportsForm(JsonObject capabilities) =>
        capabilities["elicitation"] is JsonObject modes && (modes.Count == 0 || modes.ContainsKey("form"));

    public static bool SupportsUrl(JsonObject capabilities) =>
        capabilities["elicitation"] is JsonObject modes && modes.ContainsKey("url");

    /// <summary>The form asking for a justification: one string, required, flat as the spec's form schemas must be.</summary>
    public static JsonObject JustificationForm(string target, string rule, string? reason) => new()
    {
        ["mode"] = "form",
        ["message"] = $"Calling {target} needs someone else's approval (policy rule '{rule}'{(reason is { Length: > 0 } ? $": {reason.TrimEnd('.')}" : "")}). "
            + "Why is this call needed? Approvers read your answer, masked, beside the call. You may decline; the request is then made without a reason.",
        ["requestedSchema"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                [JustificationField] = new JsonObject
                {
                    ["type"] = "string",
                    ["title"] = "Justification",
                    ["description"] = "Why this call, now (a ticket number helps the approver).",
                    ["maxLength"] = MaxJustificationChars,
                },
            },
            ["required"] = new JsonArray(JustificationField),
        },
    };

    /// <summary>The URL elicitation pointing at the status page. Only the approval id is in the URL: nothing about the caller or the arguments.</summary>
    public static JsonObject StatusPage(Uri page, string approvalId, IReadOnlyList<string> approverGroups) => new()
    {
        ["mode"] = "url",
        ["message"] = $"This call waits for approval {approvalId} by {string.Join(" or ", approverGroups)}. The page shows its state and how an approver decides; once it is approved, the call runs.",
        ["url"] = page.ToString(),
    };

    /// <summary>An elicitation request on a session's stream (session era), under the gateway's own request id.</summary>
    public static JsonObject Request(string id, JsonObject parameters) => JsonRpc.Request(id, "elicitation/create", parameters);

    /// <summary>The justification in an elicitation result (<c>{action, content}</c>); null when declined, cancelled, empty or malformed.</summary>
    public static string? Justification(JsonNode? result) =>
        Accepted(result) && result!["content"]?[JustificationField] is JsonValue value && value.TryGetValue<string>(out var text) && text.Trim().Length > 0
            ? text.Trim()
            : null;

    /// <summary>Whether an elicitation result accepts (<c>action: "accept"</c>); false for decline, cancel and anything malformed.</summary>
    public static bool Accepted(JsonNode? result) =>
        result is JsonObject answer && answer["action"] is JsonValue action && action.TryGetValue<string>(out var name) && name == "accept";
}
