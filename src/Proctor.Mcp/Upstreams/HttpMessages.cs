using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Configuration.Models;
using Proctor.Configuration.Models.Secrets;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Upstreams;

/// <summary>Building Streamable HTTP POSTs and reading their JSON or SSE answers, for both eras.</summary>
internal static class HttpMessages
{
    public const string SessionHeader = McpHeaders.SessionId;
    public const string VersionHeader = McpHeaders.ProtocolVersion;
    public const string MethodHeader = McpHeaders.Method;
    public const string NameHeader = McpHeaders.Name;

    public static HttpRequestMessage Post(HttpUpstreamModel model, JsonObject message, string? protocolVersion, string? sessionId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, model.Url)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(message)),
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

    /// <summary>Adds the 2026-07-28 mirrored headers (<c>Mcp-Method</c>, <c>Mcp-Name</c>) from the body.</summary>
    public static void AddModernHeaders(HttpRequestMessage request, JsonObject message)
    {
        if (JsonRpc.Method(message) is not { } method)
        {
            return;
        }

        request.Headers.TryAddWithoutValidation(MethodHeader, method);
        var name = method switch
        {
            McpMethods.ToolsCall or McpMethods.PromptsGet => message["params"]?["name"]?.ToString(),
            McpMethods.ResourcesRead => message["params"]?["uri"]?.ToString(),
            _ => null,
        };
        if (name is not null)
        {
            request.Headers.TryAddWithoutValidation(NameHeader, HeaderValues.Encode(name));
        }
    }

    public static bool IsEventStream(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType == "text/event-stream";

    public static async Task<JsonObject?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (bytes.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(bytes) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static async IAsyncEnumerable<JsonObject> ReadEventsAsync(HttpResponseMessage response, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            if (item.EventType != "message" || string.IsNullOrWhiteSpace(item.Data))
            {
                continue;
            }

            JsonObject? message;
            try
            {
                message = JsonNode.Parse(item.Data) as JsonObject;
            }
            catch (JsonException)
            {
                continue;
            }

            if (message is not null)
            {
                yield return message;
            }
        }
    }
}
