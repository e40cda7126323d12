using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Proctor.Bench.Load;

/// <summary>
/// A session-era Streamable HTTP client: initialize → notifications/initialized, then every call is a
/// POST carrying Mcp-Session-Id. An answer may come as plain JSON or as an SSE stream; either way the
/// body is read to its end, so the connection goes back to the pool.
/// </summary>
internal sealed class HttpMcpClient : IMcpClient
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly ToolCall _call;
    private string? _sessionId;
    private string _protocolVersion = "2025-11-25";
    private long _nextId;
    private long _jsonAnswers;
    private long _sseAnswers;

    private HttpMcpClient(Uri endpoint, ToolCall call, string? bearer)
    {
        _endpoint = endpoint;
        _call = call;
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = 4096,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (bearer is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
    }

    public string? SessionId => _sessionId;

    public string ProtocolVersion => _protocolVersion;

    public string AnswerKinds => $"{Interlocked.Read(ref _jsonAnswers)} answers as plain JSON, {Interlocked.Read(ref _sseAnswers)} as SSE";

    /// <summary>Opens a session, every request carrying <paramref name="bearer"/> when given; throws when the server does not complete the handshake.</summary>
    public static async Task<HttpMcpClient> ConnectAsync(Uri endpoint, ToolCall call, string? bearer, CancellationToken cancellationToken)
    {
        var client = new HttpMcpClient(endpoint, call, bearer);
        try
        {
            var id = Interlocked.Increment(ref client._nextId);
            var initialize = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":""" + id.ToString(System.Globalization.CultureInfo.InvariantCulture) + ""","method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"proctor-bench-load","version":"1.0.0"}}}""");
            string? version = null;
            var error = await client.PostAsync(initialize, id, message =>
            {
                if (message.TryGetProperty("result", out var result) && result.TryGetProperty("protocolVersion", out var v) && v.ValueKind == JsonValueKind.String)
                {
                    version = v.GetString();
                    return null;
                }

                return $"bad initialize answer {ToolCall.Truncate(message.GetRawText())}";
            }, captureSession: true, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                throw new InvalidOperationException($"initialize failed: {error}");
            }

            client._protocolVersion = version!;
            error = await client.PostAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}"""u8.ToArray(), null, null, captureSession: false, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                throw new InvalidOperationException($"notifications/initialized failed: {error}");
            }

            return client;
        }
        catch
        {
            client._http.Dispose();
            throw;
        }
    }

    public Task<string?> CallAsync(CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        return PostAsync(_call.Request(id), id, message => _call.Check(message, id), captureSession: false, cancellationToken);
    }

    /// <summary>
    /// POSTs one message. For a request (<paramref name="id"/> set) the answer with that id is checked;
    /// for a notification any 2xx without a JSON-RPC error is fine.
    /// </summary>
    private async Task<string?> PostAsync(byte[] body, long? id, Func<JsonElement, string?>? check, bool captureSession, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = Json } },
        };
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        if (_sessionId is not null)
        {
            request.Headers.TryAddWithoutValidation("Mcp-Session-Id", _sessionId);
            request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", _protocolVersion);
        }

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (captureSession && response.Headers.TryGetValues("Mcp-Session-Id", out var sessions))
            {
                _sessionId = sessions.First();
            }

            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                return $"HTTP {(int)response.StatusCode}: {ToolCall.Truncate(text)}";
            }

            if (id is null)
            {
                await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                return null;
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType;
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            if (string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase))
            {
                Interlocked.Increment(ref _sseAnswers);
                return await ReadEventStreamAsync(stream, id.Value, check!, cancellationToken).ConfigureAwait(false);
            }

            Interlocked.Increment(ref _jsonAnswers);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            return Matches(document.RootElement, id.Value) ? check!(document.RootElement) : $"answer for another id {ToolCall.Truncate(document.RootElement.GetRawText())}";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return "timed out";
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException)
        {
            return $"{ex.GetType().Name}: {ex.Message}";
        }
    }

    /// <summary>Reads SSE events to the end of the stream; the answer is the data event whose id matches.</summary>
    private static async Task<string?> ReadEventStreamAsync(Stream stream, long id, Func<JsonElement, string?> check, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var data = new StringBuilder();
        string? outcome = "the event stream ended without an answer";
        var answered = false;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0 && !answered)
                {
                    using var document = JsonDocument.Parse(data.ToString());
                    if (Matches(document.RootElement, id))
                    {
                        outcome = check(document.RootElement);
                        answered = true;
                    }
                }

                data.Clear();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (data.Length > 0)
                {
                    data.Append('\n');
                }

                data.Append(line.AsSpan(line.Length > 5 && line[5] == ' ' ? 6 : 5));
            }
        }

        return outcome;
    }

    private static bool Matches(JsonElement message, long id) =>
        message.ValueKind == JsonValueKind.Object
        && !message.TryGetProperty("method", out _)
        && message.TryGetProperty("id", out var value)
        && value.TryGetInt64(out var number)
        && number == id;

    public async ValueTask DisposeAsync()
    {
        if (_sessionId is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            using var delete = new HttpRequestMessage(HttpMethod.Delete, _endpoint);
            delete.Headers.TryAddWithoutValidation("Mcp-Session-Id", _sessionId);
            delete.Headers.TryAddWithoutValidation("MCP-Protocol-Version", _protocolVersion);
            try
            {
                using var response = await _http.SendAsync(delete, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
            {
            }
        }

        _http.Dispose();
    }
}
