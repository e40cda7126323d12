using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Proctor.Mcp.Upstreams.Calls;

/// <summary>
/// A caller's request as it goes upstream: the same message with the gateway's id, and the gateway's progress token
/// where the caller asked for progress (<see cref="CallMultiplexer"/>). Written from the caller's message as it is, so
/// the message is not copied per call to change two values (a copy of every node was ~3% of the gateway's allocations
/// per call, issue 13 profile). A link reads the caller's message while it sends (before its SendAsync returns), so
/// the message MUST NOT change until then.
/// </summary>
public sealed class UpstreamRequest
{
    // The caller's message, unchanged: its own id and token.
    private readonly JsonObject _message;
    private readonly long _id;
    private readonly bool _rewritesProgressToken;

    private UpstreamRequest(JsonObject message, long id, bool rewritesProgressToken)
    {
        _message = message;
        _id = id;
        _rewritesProgressToken = rewritesProgressToken;
    }

    /// <summary>The token that replaces the caller's, when the caller gave one.</summary>
    private string ProgressToken => CallMultiplexer.ProgressTokenPrefix + _id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The request for call <paramref name="id"/>, with the caller's progress token (null when none) to restore on progress.</summary>
    public static UpstreamRequest For(JsonObject message, long id, out JsonNode? callersProgressToken)
    {
        JsonNode? token = null;
        var rewrites = Meta(message) is { } meta && meta.TryGetPropertyValue("progressToken", out token);
        callersProgressToken = token?.DeepClone();
        return new UpstreamRequest(message, id, rewrites);
    }

    /// <summary>Writes the message with the gateway's id (in the caller's id's place, or last) and progress token.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        var wroteId = false;
        foreach (var (name, value) in _message)
        {
            if (name == "id")
            {
                writer.WriteNumber("id", _id);
                wroteId = true;
            }
            else if (_rewritesProgressToken && name == "params")
            {
                writer.WritePropertyName(name);
                WriteWithToken((JsonObject)value!, "_meta", writer);
            }
            else
            {
                writer.WritePropertyName(name);
                Write(value, writer);
            }
        }
        if (!wroteId)
        {
            writer.WriteNumber("id", _id);
        }
        writer.WriteEndObject();
    }

    /// <summary>A copy of the message as it goes upstream, for a link that sends nodes rather than writing bytes.</summary>
    public JsonObject ToJsonObject()
    {
        var copy = _message.DeepClone().AsObject();
        copy["id"] = _id;
        if (_rewritesProgressToken)
        {
            Meta(copy)!["progressToken"] = ProgressToken;
        }
        return copy;
    }

    private static JsonObject? Meta(JsonObject message) =>
        message.TryGetPropertyValue("params", out var parameters) && parameters is JsonObject p
        && p.TryGetPropertyValue("_meta", out var meta) && meta is JsonObject m ? m : null;

    /// <summary>Writes params, or its _meta, copying every member but the one on the way to the token.</summary>
    private void WriteWithToken(JsonObject node, string toward, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in node)
        {
            writer.WritePropertyName(name);
            if (name != toward)
            {
                Write(value, writer);
            }
            else if (toward == "_meta")
            {
                WriteWithToken((JsonObject)value!, "progressToken", writer);
            }
            else
            {
                writer.WriteStringValue(ProgressToken);
            }
        }
        writer.WriteEndObject();
    }

    private static void Write(JsonNode? value, Utf8JsonWriter writer)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer);
        }
    }
}
