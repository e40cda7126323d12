using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Mcp.Pipeline;

namespace Proctor.Mcp.Protocol;

/// <summary>What a client message is to the gateway, once it is known to be JSON-RPC 2.0.</summary>
public enum ClientMessageKind
{
    /// <summary>Has a string or number id and a method that is not a notification's: it runs the pipeline.</summary>
    Request,

    /// <summary>A notification the client may send in its era: recorded, then acted on or forwarded.</summary>
    Notification,

    /// <summary>A session-era client's answer to a request the gateway sent it.</summary>
    Response,

    /// <summary>None of the above: refused with a JSON-RPC error and recorded as a refusal.</summary>
    Refused,
}

/// <param name="ReasonCode">For <see cref="ClientMessageKind.Refused"/>: a <c>protocol.*</c> code of <see cref="ReasonCodes"/>.</param>
/// <param name="Problem">For <see cref="ClientMessageKind.Refused"/>: what was wrong and what to send instead.</param>
public sealed record ClientMessageVerdict(ClientMessageKind Kind, string? ReasonCode = null, string? Problem = null)
{
    public static readonly ClientMessageVerdict Request = new(ClientMessageKind.Request);
    public static readonly ClientMessageVerdict Notification = new(ClientMessageKind.Notification);
    public static readonly ClientMessageVerdict Response = new(ClientMessageKind.Response);

    public static ClientMessageVerdict Refused(string reasonCode, string problem) => new(ClientMessageKind.Refused, reasonCode, problem);
}

/// <summary>
/// The client-to-server message rules, per era, from the <c>ClientRequest</c> and <c>ClientNotification</c>
/// unions of each revision's schema.ts. A client message is either a request with an id, or a notification
/// the client may send in its era; nothing else reaches an upstream (docs/decisions/0012). In particular a
/// request method without an id is never treated as a notification: that was a path to the upstream that
/// bypassed the pipeline and the ledger.
/// </summary>
public static class ClientMessages
{
    private const string NotificationPrefix = "notifications/";

    /// <summary>
    /// Every request method of every revision, client-to-server and server-to-client: sent without an id
    /// each is still a request, however the transport would carry it.
    /// </summary>
    private static readonly FrozenSet<string> RequestMethods = FrozenSet.ToFrozenSet(
    [
        McpMethods.Initialize, McpMethods.Ping, McpMethods.Discover,
        McpMethods.ToolsList, McpMethods.ToolsCall,
        McpMethods.ResourcesList, McpMethods.ResourcesTemplatesList, McpMethods.ResourcesRead,
        McpMethods.ResourcesSubscribe, McpMethods.ResourcesUnsubscribe,
        McpMethods.PromptsList, McpMethods.PromptsGet,
        McpMethods.CompletionComplete, McpMethods.LoggingSetLevel, McpMethods.SubscriptionsListen,
        McpMethods.TasksGet, McpMethods.TasksUpdate, McpMethods.TasksCancel, McpMethods.TasksResult, McpMethods.TasksList,
        "sampling/createMessage", "roots/list", "elicitation/create",
    ], StringComparer.Ordinal);

    /// <summary>Session era: <c>ClientNotification</c> of 2024-11-05 … 2025-11-25 (tasks/status since 2025-11-25).</summary>
    private static readonly FrozenSet<string> LegacyNotifications = FrozenSet.ToFrozenSet(
        [McpMethods.Initialized, McpMethods.Cancelled, McpMethods.Progress, McpMethods.RootsListChanged, McpMethods.TaskStatus], StringComparer.Ordinal);

    /// <summary>2026-07-28: <c>ClientNotification = CancelledNotification</c>, and over HTTP not even that is expected.</summary>
    private static readonly FrozenSet<string> ModernNotifications = FrozenSet.ToFrozenSet([McpMethods.Cancelled], StringComparer.Ordinal);

    /// <summary>Notifications every revision defines for the server-to-client direction only.</summary>
    private static readonly FrozenSet<string> ServerOnlyNotifications = FrozenSet.ToFrozenSet(
    [
        McpMethods.Message, McpMethods.ToolsListChanged, McpMethods.PromptsListChanged, McpMethods.ResourcesListChanged,
        McpMethods.ResourceUpdated, McpMethods.ElicitationComplete, McpMethods.SubscriptionsAcknowledged,
    ], StringComparer.Ordinal);

    /// <summary>
    /// Judges a message <see cref="JsonRpc.Classify"/> accepted. Session era: the client notifications of the
    /// schema, and unknown <c>notifications/…</c> methods (MCP keeps growing; they are preserved, recorded
    /// and forwarded like the known ones). 2026-07-28: only <c>notifications/cancelled</c>.
    /// </summary>
    public static ClientMessageVerdict Judge(JsonObject message, bool modern)
    {
        var method = JsonRpc.Method(message);
        var hasId = message.TryGetPropertyValue("id", out var id);
        if (method is null)
        {
            if (modern)
            {
                return ClientMessageVerdict.Refused(ReasonCodes.UnexpectedResponse,
                    "A JSON-RPC response needs the Mcp-Session-Id of the session whose request it answers; 2026-07-28 clients never send responses (they answer input requests by retrying with inputResponses).");
            }

            return id is null || JsonRpc.IsValidId(id)
                ? ClientMessageVerdict.Response
                : ClientMessageVerdict.Refused(ReasonCodes.InvalidId, $"The response's \"id\" is {KindOf(id)}; it must be the string or number id of the request it answers.");
        }

        var notificationName = method.StartsWith(NotificationPrefix, StringComparison.Ordinal);
        if (hasId)
        {
            if (notificationName)
            {
                return ClientMessageVerdict.Refused(ReasonCodes.NotificationWithId,
                    $"'{method}' is a notification, and a notification has no \"id\"; send it again without the \"id\" member. It was not forwarded.");
            }

            return JsonRpc.IsValidId(id)
                ? ClientMessageVerdict.Request
                : ClientMessageVerdict.Refused(ReasonCodes.InvalidId,
                    $"The \"id\" of this {method} request is {KindOf(id)}; MCP requires a string or a number (never null). Send it with an id such as 1. It was not forwarded.");
        }

        if (RequestMethods.Contains(method))
        {
            return ClientMessageVerdict.Refused(ReasonCodes.RequestWithoutId,
                $"'{method}' is a request, and this message has no \"id\", which would make it a notification; send it again with an \"id\" (a string or a number) so that it is answered. It was not forwarded.");
        }

        if (modern)
        {
            return ModernNotifications.Contains(method)
                ? ClientMessageVerdict.Notification
                : ClientMessageVerdict.Refused(ReasonCodes.NotificationNotAllowed,
                    $"'{method}' is not a notification a 2026-07-28 client may send: that revision defines only notifications/cancelled (and over HTTP closing the response stream cancels instead). If it is a request, send it with an \"id\". It was not forwarded.");
        }

        if (ServerOnlyNotifications.Contains(method))
        {
            return ClientMessageVerdict.Refused(ReasonCodes.NotificationNotAllowed,
                $"'{method}' is sent by servers, never by clients. It was not forwarded.");
        }

        return LegacyNotifications.Contains(method) || notificationName
            ? ClientMessageVerdict.Notification
            : ClientMessageVerdict.Refused(ReasonCodes.NotificationNotAllowed,
                $"'{method}' is not a notification: MCP notifications are named notifications/…. If it is a request, send it with an \"id\" (a string or a number). It was not forwarded.");
    }

    /// <summary>Why <see cref="JsonRpc.Classify"/> found an object invalid, when the fault is its id; null otherwise.</summary>
    public static ClientMessageVerdict? InvalidId(JsonObject message) =>
        message.TryGetPropertyValue("id", out var id) && !JsonRpc.IsValidId(id) && JsonRpc.Method(message) is not null
            ? Judge(message, modern: false)
            : null;

    private static string KindOf(JsonNode? id) => id is null ? "null" : id.GetValueKind() switch
    {
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "not a string or number",
    };
}
