using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Proctor.Configuration.Models;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Upstreams.Supervision;

namespace Proctor.Mcp.Upstreams;

/// <summary>
/// A 2026-07-28 (stateless) Streamable HTTP upstream: every call is an independent POST carrying its
/// own <c>_meta</c>; notifications for the call arrive on its SSE stream; closing that stream is the
/// cancellation. The shared <see cref="UpstreamSupervisor"/> keeps it "connected": <c>server/discover</c>
/// succeeded, and no call has since failed to reach it; a quiet upstream is checked with
/// <c>server/discover</c> every <c>pingInterval</c>. Every answer is bounded by <c>maxMessageBytes</c>.
/// </summary>
public sealed partial class ModernHttpUpstream : Upstream
{
    private readonly HttpClient _http;
    private readonly HttpUpstreamModel _model;
    private readonly JsonObject _clientInfo;
    private readonly UpstreamRestartPolicy _restart;
    private readonly UpstreamSupervisor _supervisor;
    private readonly ILogger _logger;
    private UpstreamDescription? _discovered;
    private volatile UpstreamDescription? _description;
    private volatile TaskCompletionSource<string> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile LivenessWatch? _watch;

    internal ModernHttpUpstream(HttpClient http, HttpUpstreamModel model, JsonObject clientInfo, UpstreamRestartPolicy restart, UpstreamServices services, ILogger logger, UpstreamDescription? discovered)
        : base(model.Name)
    {
        _http = http;
        _model = model;
        _clientInfo = clientInfo;
        _restart = restart;
        _supervisor = new UpstreamSupervisor(model.Name, "modern", restart, services, logger);
        _logger = logger;
        _discovered = discovered;
        _description = discovered;
    }

    public override UpstreamHealth Health => _supervisor.Health;

    public override bool ServesModern => true;

    public override UpstreamDescription? Description => _description;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _supervisor.Start(ConnectAsync, static _ => { });
        await _supervisor.FirstAttempt.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task<JsonObject> CallAsync(JsonObject request, IUpstreamCallSink sink, CancellationToken cancellationToken)
    {
        var health = Health;
        if (health.State != UpstreamState.Ready)
        {
            _supervisor.RequestAttempt();
            throw new UpstreamUnavailableException(Name, health.Reason ?? "it is still starting");
        }

        using var post = HttpMessages.Post(_model, ModernRequestBody.Write(request, _clientInfo, sink.ClientCapabilities), ProtocolVersions.Modern, sessionId: null);
        HttpMessages.AddModernHeaders(post, request);
        foreach (var (name, value) in sink.ParamHeaders)
        {
            post.Headers.TryAddWithoutValidation(name, value);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(post, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            _lost.TrySetResult($"HTTP request failed: {ex.Message}");
            throw new UpstreamUnavailableException(Name, ex.Message);
        }

        _watch?.Heard();
        using (response)
        {
            try
            {
                return await ReadAnswerAsync(response, request["id"], sink, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                throw new UpstreamUnavailableException(Name, $"the connection was cut before the answer ({ex.Message}); the request may or may not have been carried out");
            }
        }
    }

    private async Task<JsonObject> ReadAnswerAsync(HttpResponseMessage response, JsonNode? id, IUpstreamCallSink sink, CancellationToken cancellationToken)
    {
        var max = _model.Limits.MaxMessageBytes;
        if (HttpMessages.IsEventStream(response))
        {
            var events = 0;
            await foreach (var received in HttpMessages.ReadEventsAsync(response, max, cancellationToken).ConfigureAwait(false))
            {
                events++;
                if (received.Oversize is { } oversize)
                {
                    Log.Oversize(_logger, Name, oversize.Describe(Name, max));
                    if (!oversize.HasMethod)
                    {
                        return oversize.ErrorFor(id, Name, max);
                    }
                }
                else if (JsonRpc.Classify(received.Message!) == JsonRpcKind.Response)
                {
                    return received.Message!;
                }
                else if (JsonRpc.Classify(received.Message!) == JsonRpcKind.Notification)
                {
                    await sink.OnNotificationAsync(received.Message!, cancellationToken).ConfigureAwait(false);
                }
            }

            throw new UpstreamUnavailableException(Name, $"its response stream ended after {events} event(s) without the answer; the request may or may not have been carried out");
        }

        var json = await HttpMessages.ReadJsonAsync(response, max, cancellationToken).ConfigureAwait(false);
        if (json.Oversize is { } tooLarge)
        {
            Log.Oversize(_logger, Name, tooLarge.Describe(Name, max));
            return tooLarge.ErrorFor(id, Name, max);
        }

        if (json.Message is { } message && JsonRpc.Classify(message) == JsonRpcKind.Response)
        {
            return message;
        }

        throw new UpstreamUnavailableException(Name, $"it answered HTTP {(int)response.StatusCode} without a JSON-RPC response");
    }

    public override bool TakesClientNotifications => false;

    /// <summary>The 2026-07-28 transport defines no client notifications over HTTP; nothing to send.</summary>
    public override ValueTask NotifyAsync(JsonObject notification, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>One "connection": discovered, then ready until a call or a liveness check cannot reach the upstream.</summary>
    private async Task<string> ConnectAsync(CancellationToken stopping)
    {
        var description = Interlocked.Exchange(ref _discovered, null) ?? await DiscoverOrThrowAsync(stopping).ConfigureAwait(false);
        _description = description;
        var lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _lost = lost;
        _supervisor.MarkReady(description.ProtocolVersion);
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var watch = new LivenessWatch(_supervisor, _restart, ProbeAsync);
        _watch = watch;
        var watching = watch.RunAsync(connection.Token);
        try
        {
            return await lost.Task.WaitAsync(stopping).ConfigureAwait(false);
        }
        finally
        {
            _watch = null;
            await connection.CancelAsync().ConfigureAwait(false);
            await watching.ConfigureAwait(false);
        }
    }

    private async Task<UpstreamDescription> DiscoverOrThrowAsync(CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        using var deadline = new CancellationTokenSource(_restart.HandshakeTimeout, _supervisor.Time);
        using var registration = deadline.Token.Register(timeout.Cancel);
        try
        {
            var (description, failure) = await DiscoverAsync(_http, _model, _clientInfo, timeout.Token).ConfigureAwait(false);
            return description ?? throw new UpstreamAttemptException(UpstreamReasonCodes.HandshakeFailed, failure!);
        }
        catch (HttpRequestException ex)
        {
            throw new UpstreamAttemptException(UpstreamReasonCodes.OpenFailed, ex.Message, ex);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            throw new UpstreamAttemptException(UpstreamReasonCodes.HandshakeFailed, $"the server did not answer server/discover within {_restart.HandshakeTimeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>The liveness check of a quiet upstream: <c>server/discover</c> again. Unreachable ends the connection.</summary>
    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (description, failure) = await DiscoverAsync(_http, _model, _clientInfo, cancellationToken).ConfigureAwait(false);
            if (description is null)
            {
                _lost.TrySetResult(failure!);
            }
        }
        catch (HttpRequestException ex)
        {
            _lost.TrySetResult($"HTTP request failed: {ex.Message}");
            throw new UpstreamUnavailableException(Name, ex.Message);
        }
    }

    /// <summary>Calls <c>server/discover</c>; returns the description or null when the server is not modern.</summary>
    internal static async Task<(UpstreamDescription? Description, string? Failure)> DiscoverAsync(HttpClient http, HttpUpstreamModel model, JsonObject clientInfo, CancellationToken cancellationToken)
    {
        var discover = JsonRpc.Request("proctor-discover", McpMethods.Discover, new JsonObject());
        using var post = HttpMessages.Post(model, ModernRequestBody.Write(discover, clientInfo, new JsonObject()), ProtocolVersions.Modern, sessionId: null);
        HttpMessages.AddModernHeaders(post, discover);
        using var response = await http.SendAsync(post, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        JsonObject? answer = null;
        if (HttpMessages.IsEventStream(response))
        {
            await foreach (var received in HttpMessages.ReadEventsAsync(response, model.Limits.MaxMessageBytes, cancellationToken).ConfigureAwait(false))
            {
                if (received.Message is { } message && JsonRpc.Classify(message) == JsonRpcKind.Response)
                {
                    answer = message;
                    break;
                }
            }
        }
        else
        {
            answer = (await HttpMessages.ReadJsonAsync(response, model.Limits.MaxMessageBytes, cancellationToken).ConfigureAwait(false)).Message;
        }

        if (response.StatusCode == HttpStatusCode.OK && answer?["result"] is JsonObject result)
        {
            return (UpstreamDescription.FromResult(result, ProtocolVersions.Modern), null);
        }

        return (null, $"server/discover answered HTTP {(int)response.StatusCode}");
    }

    public override async ValueTask DisposeAsync() => await _supervisor.DisposeAsync().ConfigureAwait(false);

    private static partial class Log
    {
        [LoggerMessage(EventId = 2321, Level = LogLevel.Warning, Message = "Upstream {Upstream} sent {What}; dropped without holding it (a call waiting for it gets an error)")]
        public static partial void Oversize(ILogger logger, string upstream, string what);
    }
}
