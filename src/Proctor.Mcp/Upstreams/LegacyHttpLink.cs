using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Proctor.Configuration.Models;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Upstreams.Framing;

namespace Proctor.Mcp.Upstreams;

/// <summary>
/// A session-era Streamable HTTP connection (2025-03-26 … 2025-11-25): each message is a POST, answers
/// come back as JSON or as an SSE stream tied to the POST, and unsolicited messages arrive on the GET
/// stream opened after the handshake. The link closes, and <see cref="SessionUpstream"/> opens a new
/// session, when the server no longer knows the session (404, as the transport spec says; or 400, which
/// servers also answer, confirmed by a ping), when a request cannot reach the server, and when the GET
/// stream cannot be reopened. A request's stream that ends before its answer gives that call an error at once.
/// </summary>
internal sealed partial class LegacyHttpLink(HttpClient http, HttpUpstreamModel model, TimeProvider time, ILogger logger) : IUpstreamLink
{
    /// <summary>A GET stream the server ended is reopened after this (2025-11-25 lets servers end it to be polled).</summary>
    private static readonly TimeSpan ListenAgainAfter = TimeSpan.FromSeconds(1);

    private readonly Channel<LinkMessage> _incoming = Channel.CreateBounded<LinkMessage>(1024);
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly long _maxMessageBytes = model.Limits.MaxMessageBytes;
    private string? _sessionId;
    private bool _listening;
    private volatile bool _sessionGone;

    public ChannelReader<LinkMessage> Incoming => _incoming.Reader;

    public Task<string> Closed => _closed.Task;

    public string? NegotiatedVersion { get; set; }

    public async ValueTask SendAsync(JsonObject message, CancellationToken cancellationToken)
    {
        if (_closed.Task.IsCompleted)
        {
            throw new UpstreamUnavailableException(model.Name, _closed.Task.Result);
        }

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

        if (_sessionId is not null && await SessionGoneAsync(response, cancellationToken).ConfigureAwait(false))
        {
            response.Dispose();
            _sessionGone = true;
            Close($"the server no longer knows the gateway's session (HTTP {(int)response.StatusCode}); opening a new one");
            throw new UpstreamUnavailableException(model.Name, "its session ended (the server restarted or expired it); the gateway is opening a new one");
        }

        if (kind == JsonRpcKind.Notification && JsonRpc.Method(message) == McpMethods.Initialized && !_listening)
        {
            _listening = true;
            _ = Task.Run(ListenAsync);
        }

        _ = Task.Run(() => DrainAsync(response, message, requestId));
    }

    /// <summary>
    /// 404 for a known session means the server ended it (2025-11-25 transports, "Session Management").
    /// Servers built on common SDK examples answer 400 instead; a ping on the same session tells whether
    /// the 400 was about the session or about the message.
    /// </summary>
    private async Task<bool> SessionGoneAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return true;
        }

        if (response.StatusCode != HttpStatusCode.BadRequest)
        {
            return false;
        }

        using var check = HttpMessages.Post(model, JsonRpc.Request("proctor-session-check", McpMethods.Ping, null), NegotiatedVersion, _sessionId);
        try
        {
            using var answer = await http.SendAsync(check, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return answer.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest;
        }
        catch (HttpRequestException)
        {
            return true;
        }
    }

    private async Task DrainAsync(HttpResponseMessage response, JsonObject sent, long? requestId)
    {
        var answered = requestId is null;
        var events = 0;
        string? cut = null;
        using (response)
        {
            try
            {
                if (HttpMessages.IsEventStream(response))
                {
                    await foreach (var received in HttpMessages.ReadEventsAsync(response, _maxMessageBytes, _lifetime.Token).ConfigureAwait(false))
                    {
                        events++;
                        answered |= await DeliverAsync(received, requestId).ConfigureAwait(false);
                    }

                    cut = answered ? null : $"the server ended it after {events} event(s) without the answer";
                }
                else
                {
                    var received = await HttpMessages.ReadJsonAsync(response, _maxMessageBytes, _lifetime.Token).ConfigureAwait(false);
                    answered |= await DeliverAsync(received, requestId).ConfigureAwait(false);
                    cut = answered ? null : $"it answered HTTP {(int)response.StatusCode} without a JSON-RPC response";
                }
            }
            catch (Exception ex) when (_lifetime.IsCancellationRequested && ex is OperationCanceledException or ChannelClosedException)
            {
                return; // the link is closing: the supervisor fails the calls in flight
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                cut = $"the connection was cut after {events} event(s): {ex.Message}";
            }
        }

        Log.StreamEnded(logger, model.Name, JsonRpc.Method(sent) ?? "response", cut ?? "answered");
        if (!answered && requestId is { } id)
        {
            var error = JsonRpc.Error(id, JsonRpcErrorCodes.UpstreamUnavailable,
                $"Upstream '{model.Name}' did not answer: {cut}. The request may or may not have been carried out; retry if that is safe.");
            await DeliverQuietlyAsync(new LinkMessage(error, id)).ConfigureAwait(false);
        }
    }

    /// <summary>Passes one message on; an oversize answer to this request becomes an error for it. True when this was the request's answer.</summary>
    private async Task<bool> DeliverAsync(Received received, long? requestId)
    {
        if (received.Oversize is { } oversize)
        {
            Log.Oversize(logger, model.Name, oversize.Describe(model.Name, _maxMessageBytes));
            if (oversize.HasMethod || requestId is not { } id || (oversize.Id is not null && oversize.Id.ToJsonString() != id.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                return false;
            }

            await _incoming.Writer.WriteAsync(new LinkMessage(oversize.ErrorFor(id, model.Name, _maxMessageBytes), requestId), _lifetime.Token).ConfigureAwait(false);
            return true;
        }

        if (received.Message is not { } message)
        {
            return false;
        }

        // Judged before the hand-over, and never touched after it (IUpstreamLink.Incoming): the multiplexer gives the
        // message the caller's id on another thread. Read afterwards, that id made a real answer look missing (a second,
        // synthetic answer followed); and a first read racing the rewrite could build the object's members anew from the
        // upstream's text, undoing it, so that the caller got the gateway's upstream id (LegacyHttpLinkConcurrencyTests).
        var isAnswer = requestId is { } expected && JsonRpc.Classify(message) == JsonRpcKind.Response
            && message["id"] is JsonValue value && value.TryGetValue<long>(out var answeredId) && answeredId == expected;
        await _incoming.Writer.WriteAsync(new LinkMessage(message, requestId), _lifetime.Token).ConfigureAwait(false);
        return isAnswer;
    }

    private async Task DeliverQuietlyAsync(LinkMessage message)
    {
        try
        {
            await _incoming.Writer.WriteAsync(message, _lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            // The link closed meanwhile: the supervisor fails the call.
        }
    }

    /// <summary>
    /// The GET stream carries what belongs to no request. It is reopened when the server ends it; when it
    /// cannot be (the server is gone, or has forgotten the session) the link closes, so that a restarted
    /// server is noticed even while nobody calls it.
    /// </summary>
    private async Task ListenAsync()
    {
        while (!_lifetime.IsCancellationRequested)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, model.Url);
            request.Headers.Accept.ParseAdd("text/event-stream");
            HttpMessages.AddConfiguredHeaders(request, model);
            request.Headers.TryAddWithoutValidation(HttpMessages.SessionHeader, _sessionId);
            request.Headers.TryAddWithoutValidation(HttpMessages.VersionHeader, NegotiatedVersion);
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _lifetime.Token).ConfigureAwait(false);
                if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
                {
                    _sessionGone = true;
                    Close($"the server no longer knows the gateway's session (HTTP {(int)response.StatusCode} on its GET stream); opening a new one");
                    return;
                }

                if (!response.IsSuccessStatusCode || !HttpMessages.IsEventStream(response))
                {
                    return; // 405: the server offers no GET stream, which the spec allows.
                }

                await foreach (var received in HttpMessages.ReadEventsAsync(response, _maxMessageBytes, _lifetime.Token).ConfigureAwait(false))
                {
                    await DeliverAsync(received, null).ConfigureAwait(false);
                }

                Log.StreamEnded(logger, model.Name, "GET", "the server ended it; reopening");
                await Task.Delay(ListenAgainAfter, time, _lifetime.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (_lifetime.IsCancellationRequested && ex is OperationCanceledException or ChannelClosedException)
            {
                return;
            }
            catch (HttpRequestException ex)
            {
                Close($"the connection to the server was lost: {ex.Message}");
                return;
            }
            catch (IOException ex)
            {
                Log.StreamEnded(logger, model.Name, "GET", $"cut ({ex.Message}); reopening");
            }
        }
    }

    private void Close(string reason) => _closed.TrySetResult(reason);

    public async ValueTask DisposeAsync()
    {
        Close("the gateway closed the session");
        await _lifetime.CancelAsync().ConfigureAwait(false);
        if (_sessionId is not null && !_sessionGone)
        {
            using var delete = new HttpRequestMessage(HttpMethod.Delete, model.Url);
            HttpMessages.AddConfiguredHeaders(delete, model);
            delete.Headers.TryAddWithoutValidation(HttpMessages.SessionHeader, _sessionId);
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
                (await http.SendAsync(delete, timeout.Token).ConfigureAwait(false)).Dispose();
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                Log.StreamEnded(logger, model.Name, "DELETE", ex.Message);
            }
        }

        // _lifetime is not disposed: streams still draining read its token, and it holds no timer.
        _incoming.Writer.TryComplete();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1301, Level = LogLevel.Debug, Message = "Upstream {Upstream}: stream for {Method} ended: {Reason}")]
        public static partial void StreamEnded(ILogger logger, string upstream, string method, string reason);

        [LoggerMessage(EventId = 2320, Level = LogLevel.Warning, Message = "Upstream {Upstream} sent {What}; dropped without holding it (a call waiting for it gets an error)")]
        public static partial void Oversize(ILogger logger, string upstream, string what);
    }
}

internal sealed class LegacyHttpLinkFactory(HttpClient http, HttpUpstreamModel model, TimeProvider time, ILogger logger) : IUpstreamLinkFactory
{
    public Task<IUpstreamLink> OpenAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IUpstreamLink>(new LegacyHttpLink(http, model, time, logger));
}
