using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>Hand-made HTTP requests, for the malformed and hostile inputs no SDK client would send.</summary>
internal static class RawMcp
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<(HttpResponseMessage Response, JsonObject? Body)> PostAsync(Uri endpoint, string body, IDictionary<string, string>? headers = null)
    {
        using var request = Post(endpoint, body, headers);

        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            text = text.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l[6..]).LastOrDefault() ?? "";
        }

        return (response, text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null);
    }

    /// <summary>Posts and returns every message of the answer, in order (one for JSON, each event for SSE).</summary>
    public static async Task<List<JsonObject>> PostForEventsAsync(Uri endpoint, string body, IDictionary<string, string> headers)
    {
        using var request = Post(endpoint, body, headers);

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            return [JsonNode.Parse(text)!.AsObject()];
        }

        return text.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l[6..])!.AsObject()).ToList();
    }

    /// <summary>Posts and yields each SSE message as it arrives, for streams that stay open (subscriptions/listen).</summary>
    public static async IAsyncEnumerable<JsonObject> StreamEventsAsync(Uri endpoint, string body, IDictionary<string, string> headers, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = Post(endpoint, body, headers);

        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                yield return JsonNode.Parse(line[6..])!.AsObject();
            }
        }
    }

    private static HttpRequestMessage Post(Uri endpoint, string body, IDictionary<string, string>? headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public static async Task<string> InitializeAsync(Uri endpoint, IDictionary<string, string>? headers = null)
    {
        var (response, _) = await PostAsync(endpoint, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""", headers);
        return response.Headers.GetValues("Mcp-Session-Id").Single();
    }

    public static Dictionary<string, string> Modern(string method, string? name = null)
    {
        var headers = new Dictionary<string, string> { ["MCP-Protocol-Version"] = "2026-07-28", ["Mcp-Method"] = method };
        if (name is not null)
        {
            headers["Mcp-Name"] = name;
        }

        return headers;
    }

    public const string ModernMeta = """ "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"raw","version":"1"}} """;
}
