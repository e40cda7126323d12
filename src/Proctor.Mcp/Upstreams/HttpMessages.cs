using System.Buffers;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Configuration.Models;
using Proctor.Configuration.Models.Secrets;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Upstreams.Framing;

namespace Proctor.Mcp.Upstreams;

/// <summary>Building Streamable HTTP POSTs and reading their JSON or SSE answers, for both eras.</summary>
internal static class HttpMessages
{
    public const string SessionHeader = McpHeaders.SessionId;
    public const string VersionHeader = McpHeaders.ProtocolVersion;
    public const string MethodHeader = McpHeaders.Method;
    public const string NameHeader = McpHeaders.Name;

    public static HttpRequestMessage Post(HttpUpstreamModel model, JsonObject message, string? protocolVersion, string? sessionId) =>
        Post(model, JsonSerializer.SerializeToUtf8Bytes(message), protocolVersion, sessionId);

    /// <param name="body">One JSON-RPC message, already written as UTF-8 JSON.</param>
    public static HttpRequestMessage Post(HttpUpstreamModel model, byte[] body, string? protocolVersion, string? sessionId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, model.Url)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        AddConfiguredHeaders(request, model);
        if (protocolVersion is not null)
        {
            request.Headers.TryAddWithoutValidation(VersionHeader, protocolVersion);
        }

        if (sessionId is not null)
        {
            request.Headers.TryAddWithoutValidation(SessionHeader, sessionId);
        }

        return request;
    }

    public static void AddConfiguredHeaders(HttpRequestMessage request, HttpUpstreamModel model)
    {
        if (model.OAuth is not null)
        {
            request.Options.Set(Credentials.UpstreamCredentialsHandler.UpstreamKey, model.Name);
        }

        foreach (var (name, value) in model.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value.Reveal());
        }
    }

    /// <summary>Adds the 2026-07-28 mirrored headers (<c>Mcp-Method</c>, <c>Mcp-Name</c>; for tasks/* the task id, SEP-2663) from the body.</summary>
    public static void AddModernHeaders(HttpRequestMessage request, JsonObject message)
    {
        if (JsonRpc.Method(message) is not { } method)
        {
            return;
        }

        request.Headers.TryAddWithoutValidation(MethodHeader, method);
        // A client's params may be anything; only an object's member names the target.
        var parameters = message["params"] as JsonObject;
        var name = method switch
        {
            McpMethods.ToolsCall or McpMethods.PromptsGet => parameters?["name"]?.ToString(),
            McpMethods.ResourcesRead => parameters?["uri"]?.ToString(),
            McpMethods.TasksGet or McpMethods.TasksUpdate or McpMethods.TasksCancel => parameters?["taskId"]?.ToString(),
            _ => null,
        };
        if (name is not null)
        {
            request.Headers.TryAddWithoutValidation(NameHeader, HeaderValues.Encode(name));
        }
    }

    public static bool IsEventStream(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType == "text/event-stream";

    /// <summary>
    /// Reads a JSON body of at most <paramref name="maxBytes"/>: a declared or actual length beyond it is
    /// not read (the response is dropped with its connection). Message null and Oversize null: empty or not a JSON object.
    /// </summary>
    public static async Task<Received> ReadJsonAsync(HttpResponseMessage response, long maxBytes, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is { } declared && declared > maxBytes)
        {
            return new Received(null, new OversizeMessage(declared, false, null, false), null);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var body = await BoundedBody.ReadAsync(stream, response.Content.Headers.ContentLength, maxBytes, cancellationToken).ConfigureAwait(false);
        if (body.Exceeded)
        {
            return new Received(null, new OversizeMessage(body.Bytes.Length, true, null, false), null);
        }

        return new Received(Parse(body.Bytes.Span), null, null);
    }

    /// <summary>The JSON-RPC messages of an SSE body, each event bounded by <paramref name="maxBytes"/>; an oversize event is reported, not parsed.</summary>
    public static async IAsyncEnumerable<Received> ReadEventsAsync(HttpResponseMessage response, long maxBytes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var item in SseReader.ReadAsync(stream, maxBytes, cancellationToken).ConfigureAwait(false))
        {
            if (item.EventType != "message")
            {
                continue;
            }

            if (item.Oversize is { } scan)
            {
                yield return new Received(null, OversizeMessage.From(scan), item.LastEventId);
            }
            else if (Parse(item.Data) is { } message)
            {
                yield return new Received(message, null, item.LastEventId);
            }
        }
    }

    private static JsonObject? Parse(ReadOnlySpan<byte> json)
    {
        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>One message read from an upstream's HTTP answer: parsed, or too large to parse (<see cref="Oversize"/>).</summary>
/// <param name="EventId">The SSE event id it came with, if any.</param>
internal readonly record struct Received(JsonObject? Message, OversizeMessage? Oversize, string? EventId);
