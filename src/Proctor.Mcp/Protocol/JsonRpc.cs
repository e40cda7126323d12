using System.Text.Json;
using System.Text.Json.Nodes;

namespace Proctor.Mcp.Protocol;

public enum JsonRpcKind { Invalid, Request, Notification, Response }

/// <summary>
/// JSON-RPC 2.0 messages handled as <see cref="JsonObject"/> so that every field the gateway does not
/// understand (new protocol features, vendor extensions) is relayed byte-for-byte in meaning.
/// A typed model would silently drop them; see docs/decisions/0001-raw-json-relay.md.
/// </summary>
public static class JsonRpc
{
    public static JsonRpcKind Classify(JsonObject message)
    {
        if (!IsVersion2(message["jsonrpc"]))
        {
            return JsonRpcKind.Invalid;
        }

        var hasMethod = message.TryGetPropertyValue("method", out var method);
        var hasId = message.TryGetPropertyValue("id", out var id);
        if (hasMethod)
        {
            if (method?.GetValueKind() != JsonValueKind.String)
            {
                return JsonRpcKind.Invalid;
            }

            if (!hasId)
            {
                return JsonRpcKind.Notification;
            }

            return IsValidId(id) ? JsonRpcKind.Request : JsonRpcKind.Invalid;
        }

        if (hasId && (message.ContainsKey("result") ^ message.ContainsKey("error")))
        {
            return JsonRpcKind.Response;
        }

        return JsonRpcKind.Invalid;
    }

    public static bool IsValidId(JsonNode? id) =>
        id is not null && id.GetValueKind() is JsonValueKind.String or JsonValueKind.Number;

    /// <summary>The method's name; a known MCP method is returned as its <see cref="McpMethods"/> constant (<see cref="MethodNames"/>).</summary>
    public static string? Method(JsonObject message) =>
        message["method"] is JsonValue value ? MethodNames.Read(value) : null;

    public static JsonObject? Params(JsonObject message) => message["params"] as JsonObject;

    public static bool IsError(JsonObject response) => response.ContainsKey("error");

    public static JsonObject Error(JsonNode? id, int code, string message, JsonNode? data = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (data is not null)
        {
            error["data"] = data;
        }

        return new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id?.DeepClone(), ["error"] = error };
    }

    public static JsonObject Result(JsonNode? id, JsonNode result) =>
        new() { ["jsonrpc"] = "2.0", ["id"] = id?.DeepClone(), ["result"] = result };

    public static JsonObject Request(JsonNode id, string method, JsonObject? parameters)
    {
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method };
        if (parameters is not null)
        {
            request["params"] = parameters;
        }

        return request;
    }

    public static JsonObject Notification(string method, JsonObject? parameters)
    {
        var notification = new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method };
        if (parameters is not null)
        {
            notification["params"] = parameters;
        }

        return notification;
    }

    /// <summary>
    /// Parses one message (strictly: <see cref="StrictJson"/>); on failure returns the JSON-RPC error the client
    /// must receive: -32700 for text that is not one unambiguous JSON value, -32600 for JSON that is not a message.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out JsonObject message, out JsonObject error)
    {
        message = null!;
        error = null!;
        if (!StrictJson.TryParse(utf8, out var node, out var problem))
        {
            error = Error(null, JsonRpcErrorCodes.ParseError, $"Parse error: {problem}.", Reason(Pipeline.ReasonCodes.InvalidMessage));
            return false;
        }

        if (node is JsonArray)
        {
            error = Error(null, JsonRpcErrorCodes.InvalidRequest,
                "Invalid Request: JSON-RPC batches are not supported since MCP 2025-06-18; send one message per POST.", Reason(Pipeline.ReasonCodes.InvalidMessage));
            return false;
        }

        if (node is not JsonObject obj || Classify(obj) == JsonRpcKind.Invalid)
        {
            var id = node is JsonObject o && IsValidId(o["id"]) ? o["id"] : null;
            error = node is JsonObject withBadId && ClientMessages.InvalidId(withBadId) is { } badId
                ? Error(null, JsonRpcErrorCodes.InvalidRequest, $"Invalid Request: {badId.Problem}", new JsonObject { ["reason"] = badId.ReasonCode, ["method"] = Method(withBadId) })
                : Error(id, JsonRpcErrorCodes.InvalidRequest,
                    "Invalid Request: expected a JSON-RPC 2.0 object with \"jsonrpc\": \"2.0\" and a string \"method\" (request or notification), or an \"id\" with \"result\" or \"error\" (response).",
                    Reason(Pipeline.ReasonCodes.InvalidMessage));
            return false;
        }

        message = obj;
        return true;
    }

    private static JsonObject Reason(string code) => new() { ["reason"] = code };

    /// <summary>The string "2.0", compared where it was parsed rather than read into a new string on every message.</summary>
    private static bool IsVersion2(JsonNode? version) =>
        version is JsonValue value && (value.TryGetValue<JsonElement>(out var parsed)
            ? parsed.ValueKind == JsonValueKind.String && parsed.ValueEquals("2.0"u8)
            : value.TryGetValue<string>(out var text) && text == "2.0");
}
