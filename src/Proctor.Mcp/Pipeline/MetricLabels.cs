using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Pipeline;

/// <summary>
/// Metric tag values from closed sets. On <c>/mcp/{server}</c> every method passes through, and upstreams
/// choose their error codes, so neither may become a tag as sent: three requests with long invented method
/// names once grew <c>/metrics</c> by a megabyte.
/// </summary>
public static class MetricLabels
{
    public const string OtherMethod = "other";

    /// <summary>The method of a call refused before its body was read (HTTP 403 <c>insufficient_scope</c> on <c>/mcp/{server}</c>).</summary>
    public const string UnreadMethod = "unread";
    public const string Ok = "ok";
    public const string ToolError = "tool_error";
    public const string Cancelled = "cancelled";

    /// <summary>A refusal whose reason code is not in <see cref="ReasonCodes"/> (a stage bug; the log line has the code).</summary>
    public const string OtherRefusal = "refused";

    public const string OtherError = "error other";

    /// <summary>Client-to-server request methods of MCP 2024-11-05 to 2026-07-28.</summary>
    private static readonly FrozenSet<string> Methods = FrozenSet.Create(StringComparer.Ordinal,
    [
        McpMethods.Initialize, McpMethods.Ping, McpMethods.Discover, McpMethods.ToolsList, McpMethods.ToolsCall,
        McpMethods.ResourcesList, McpMethods.ResourcesTemplatesList, McpMethods.ResourcesRead, McpMethods.ResourcesSubscribe,
        McpMethods.ResourcesUnsubscribe, McpMethods.PromptsList, McpMethods.PromptsGet, McpMethods.CompletionComplete,
        McpMethods.LoggingSetLevel, McpMethods.SubscriptionsListen,
        "tasks/get", "tasks/result", "tasks/list", "tasks/cancel", // MCP 2025-11-25 tasks
        "tasks/update", // the tasks extension (SEP-2663)
    ]);

    private static readonly FrozenSet<string> Reasons = FrozenSet.Create(StringComparer.Ordinal,
    [
        ReasonCodes.NoCaller, ReasonCodes.MfaRequired, ReasonCodes.AuthenticationTooOld, ReasonCodes.InsufficientScope,
        ReasonCodes.UpstreamUnavailable, ReasonCodes.UpstreamTimeout, ReasonCodes.UnknownServer, ReasonCodes.UnknownTool,
        ReasonCodes.Fault, ReasonCodes.MaskingFailed, ReasonCodes.LedgerUnavailable,
        ReasonCodes.PolicyDenied, ReasonCodes.PolicyNotAllowed, ReasonCodes.PolicyApprovalRequired, ReasonCodes.PolicyConditionError,
        ReasonCodes.PolicyMfaRequired, ReasonCodes.PolicyAcrRequired, ReasonCodes.PolicyInsufficientScope, ReasonCodes.PolicyAuthenticationTooOld,
        ReasonCodes.PolicyNameRefused,
    ]);

    /// <summary>
    /// JSON-RPC 2.0's codes, MCP's (-32002 resource not found, -32020..-32022 2026-07-28 headers and versions,
    /// -32042 URL elicitation required), the SDKs' -32000 connection closed and -32001 request timeout, and the gateway's own.
    /// </summary>
    private static readonly FrozenDictionary<int, string> ErrorCodes = new[]
    {
        JsonRpcErrorCodes.ParseError, JsonRpcErrorCodes.InvalidRequest, JsonRpcErrorCodes.MethodNotFound, JsonRpcErrorCodes.InvalidParams,
        JsonRpcErrorCodes.InternalError, -32000, -32001, JsonRpcErrorCodes.ResourceNotFound, JsonRpcErrorCodes.HeaderMismatch,
        JsonRpcErrorCodes.MissingClientCapability, JsonRpcErrorCodes.UnsupportedProtocolVersion, -32042,
        JsonRpcErrorCodes.UpstreamUnavailable, JsonRpcErrorCodes.UpstreamTimeout, JsonRpcErrorCodes.RequestTooLarge,
        JsonRpcErrorCodes.Refused, JsonRpcErrorCodes.GatewayFault,
    }.ToFrozenDictionary(code => code, code => "error " + code.ToString(CultureInfo.InvariantCulture));

    /// <summary>The method if MCP defines it as a client request (or it is <see cref="UnreadMethod"/>), else <see cref="OtherMethod"/>.</summary>
    public static string Method(string? method) =>
        method is not null && Methods.TryGetValue(method, out var known) ? known : method == UnreadMethod ? UnreadMethod : OtherMethod;

    /// <summary>
    /// How a call ended: the refusal's reason code; for a JSON-RPC error, <c>error CODE</c> for a known code;
    /// <see cref="ToolError"/> for a tool result with <c>isError: true</c> (the tool failed, the call did not);
    /// <see cref="Cancelled"/> without a response; else <see cref="Ok"/>.
    /// </summary>
    public static string Outcome(string? refusalReason, JsonObject? response)
    {
        if (refusalReason is not null)
        {
            return Reasons.TryGetValue(refusalReason, out var reason) ? reason : OtherRefusal;
        }

        if (response is null)
        {
            return Cancelled;
        }

        if (JsonRpc.IsError(response))
        {
            return response["error"]?["code"] is JsonValue code && code.TryGetValue<int>(out var number) && ErrorCodes.TryGetValue(number, out var named)
                ? named
                : OtherError;
        }

        return response["result"]?["isError"] is JsonValue isError && isError.TryGetValue<bool>(out var failed) && failed ? ToolError : Ok;
    }
}
