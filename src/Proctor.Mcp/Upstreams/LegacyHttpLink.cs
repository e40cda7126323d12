using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Proctor.Configuration.Models;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Upstreams;

/// <summary>
/// A session-era Streamable HTTP connection (2025-03-26 … 2025-11-25): each message is a POST, answers
/// come back as JSON or as an SSE stream tied to the POST, and unsolicited messages arrive on the GET
/// stream opened after the handshake. A 404 on a known session means the server forgot it: the link
/// closes and <see cref="SessionUpstream"/> opens a new session.
/// </summary>
internal sealed partial class LegacyHttpLink(HttpClient http, HttpUpstreamModel model, ILogger logger) : IUpstreamLink
{
    private readonly Channel<LinkMessage> _incoming = Channel.CreateBounded<LinkMessage>(1024);
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _lifetime = new();
    private string? _sessionId;
    private bool _listening;

    public ChannelReader<LinkMessage> Incoming => _incoming.Reader;

    public Task<string> Closed => _closed.Task;

    public string? NegotiatedVersion { get; set; }

    public async ValueTask SendAsync(JsonObject message, CancellationToken cancellationToken)
    {
        var kind = JsonRpc.Classify(message);
        long? requestId = kind == JsonRpcKind.Request && message["id"] is JsonValue v && v.TryGetValue<long>(out var id) ? id : null;
        using var request = HttpMessages.Post(model, message, NegotiatedVersion, _sessionId);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            Close($"HTTP request failed: {ex.Message}");
            throw new UpstreamUnavailableException(model.Name, ex.Message);
        }

        if (response.Headers.TryGetValues(HttpMessages.SessionHeader, out var ids) && _sessionId is null)
        {
            _sessionId = ids.FirstOrDefault();
        }

        if (response.StatusCode == HttpStatusCode.NotFound && _sessionId is not null)
        {
            response.Dispose();
            Close("the server no longer knows the session (HTTP 404); opening a new one");
            throw new UpstreamUnavailableException(model.Name, "its session expired");
        }

        if (kind == JsonRpcKind.Notification && JsonRpc.Method(message) == McpMethods.Initialized && !_listening)
        {
            _listening = true;
            _ = Task.Run(ListenAsync);
        }

        _ = Task.Run(() => DrainAsync(response, message, requestId));
    }

    private async Task DrainAsync(HttpResponseMessage response, JsonObject sent, long? requestId)
    {
        using (response)
        {
            try
            {
                if (HttpMessages.IsEventStream(response))
                {
                    await foreach (var message in HttpMessages.ReadEventsAsync(response, _lifetime.Token).ConfigureAwait(false))
                    {
                        await _incoming.Writer.WriteAsync(new LinkMessage(message, requestId), _lifetime.Token).ConfigureAwait(false);
                    }
                }
                else if (await HttpMessages.ReadJsonAsync(response, _lifetime.Token).ConfigureAwait(false) is { } json)
                {
                    await _incoming.Writer.WriteAsync(new LinkMessage(json, requestId), _lifetime.Token).ConfigureAwait(false);
                }
                else if (requestId is not null)
                {
                    var error = JsonRpc.Error(requestId, JsonRpcErrorCodes.UpstreamUnavailable,
                        $"Upstream '{model.Name}' answered HTTP {(int)response.StatusCode} without a JSON-RPC body.");
                    await _incoming.Writer.WriteAsync(new LinkMessage(error, requestId), _lifetime.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
            {
                Log.StreamEnded(logger, model.Name, JsonRpc.Method(sent) ?? "response", ex.Message);
            }
        }
    }

    private async Task ListenAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, model.Url);
        request.Headers.Accept.ParseAdd("text/event-stream");
        HttpMessages.AddConfiguredHeaders(request, model);
        request.Headers.TryAddWithoutValidation(HttpMessages.SessionHeader, _sessionId);
        request.Headers.TryAddWithoutValidation(HttpMessages.VersionHeader, NegotiatedVersion);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _lifetime.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode || !HttpMessages.IsEventStream(response))
            {
                return; // 405: the server offers no GET stream, which the spec allows.
            }

            await foreach (var message in HttpMessages.ReadEventsAsync(response, _lifetime.Token).ConfigureAwait(false))
            {
                await _incoming.Writer.WriteAsync(new LinkMessage(message, null), _lifetime.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
        {
            Log.StreamEnded(logger, model.Name, "GET", ex.Message);
        }
    }

    private void Close(string reason) => _closed.TrySetResult(reason);

    public async ValueTask DisposeAsync()
    {
        Close("the gateway closed the session");
        if (_sessionId is not null)
        {
            using var delete = new HttpRequestMessage(HttpMethod.Delete, model.Url);
            HttpMessages.AddConfiguredHeaders(delete, model);
            delete.Headers.TryAddWithoutValidation(HttpMessages.SessionHeader, _sessionId);
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                (await http.SendAsync(delete, timeout.Token).ConfigureAwait(false)).Dispose();
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                Log.StreamEnded(logger, model.Name, "DELETE", ex.Message);
            }
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        _incoming.Writer.TryComplete();
        _lifetime.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1301, Level = LogLevel.Debug, Message = "Upstream {Upstream}: stream for {Method} ended: {Reason}")]
        public static partial void StreamEnded(ILogger logger, string upstream, string method, string reason);
    }
}

internal sealed class LegacyHttpLinkFactory(HttpClient http, HttpUpstreamModel model, ILogger logger) : IUpstreamLinkFactory
{
    public Task<IUpstreamLink> OpenAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IUpstreamLink>(new LegacyHttpLink(http, model, logger));
}
