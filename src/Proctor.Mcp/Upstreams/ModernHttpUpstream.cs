using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Proctor.Configuration.Models;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Upstreams;

/// <summary>
/// A 2026-07-28 (stateless) Streamable HTTP upstream: every call is an independent POST carrying its
/// own <c>_meta</c>; notifications for the call arrive on its SSE stream; closing that stream is the
/// cancellation. Nothing to supervise but reachability, which <see cref="ProbeAsync"/> re-checks.
/// </summary>
public sealed partial class ModernHttpUpstream : Upstream
{
    private readonly HttpClient _http;
    private readonly HttpUpstreamModel _model;
    private readonly JsonObject _clientInfo;
    private readonly UpstreamRestartPolicy _restart;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private volatile UpstreamHealth _health = new(UpstreamState.Starting, null, DateTimeOffset.UtcNow, 0, "modern");
    private volatile UpstreamDescription? _description;
    private Task? _prober;

    internal ModernHttpUpstream(HttpClient http, HttpUpstreamModel model, JsonObject clientInfo, UpstreamRestartPolicy restart, ILogger logger, UpstreamDescription? discovered)
        : base(model.Name)
    {
        _http = http;
        _model = model;
        _clientInfo = clientInfo;
        _restart = restart;
        _logger = logger;
        if (discovered is not null)
        {
            _description = discovered;
            _health = _health with { State = UpstreamState.Ready };
        }
    }

    public override UpstreamHealth Health => _health;

    public override bool ServesModern => true;

    public override UpstreamDescription? Description => _description;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_description is null)
        {
            await ProbeAsync(cancellationToken).ConfigureAwait(false);
        }

        _prober ??= Task.Run(() => WatchAsync(_stopping.Token), CancellationToken.None);
    }

    public override async Task<JsonObject> CallAsync(JsonObject request, IUpstreamCallSink sink, CancellationToken cancellationToken)
    {
        var outgoing = request.DeepClone().AsObject();
        EnsureRequestMetadata(outgoing, _clientInfo, sink.ClientCapabilities);
        using var post = HttpMessages.Post(_model, outgoing, ProtocolVersions.Modern, sessionId: null);
        HttpMessages.AddModernHeaders(post, outgoing);
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
            MarkDown(ex.Message);
            throw new UpstreamUnavailableException(Name, ex.Message);
        }

        using (response)
        {
            if (HttpMessages.IsEventStream(response))
            {
                await foreach (var message in HttpMessages.ReadEventsAsync(response, cancellationToken).ConfigureAwait(false))
                {
                    if (JsonRpc.Classify(message) == JsonRpcKind.Response)
                    {
                        return message;
                    }

                    if (JsonRpc.Classify(message) == JsonRpcKind.Notification)
                    {
                        await sink.OnNotificationAsync(message, cancellationToken).ConfigureAwait(false);
                    }
                }

                throw new UpstreamUnavailableException(Name, "its response stream ended before the response");
            }

            if (await HttpMessages.ReadJsonAsync(response, cancellationToken).ConfigureAwait(false) is { } json && JsonRpc.Classify(json) == JsonRpcKind.Response)
            {
                return json;
            }

            throw new UpstreamUnavailableException(Name, $"it answered HTTP {(int)response.StatusCode} without a JSON-RPC response");
        }
    }

    public override bool TakesClientNotifications => false;

    /// <summary>The 2026-07-28 transport defines no client notifications over HTTP; nothing to send.</summary>
    public override ValueTask NotifyAsync(JsonObject notification, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Calls <c>server/discover</c>; returns the description or null when the server is not modern.</summary>
    internal static async Task<(UpstreamDescription? Description, string? Failure)> DiscoverAsync(HttpClient http, HttpUpstreamModel model, JsonObject clientInfo, CancellationToken cancellationToken)
    {
        var discover = JsonRpc.Request("proctor-discover", McpMethods.Discover, new JsonObject());
        EnsureRequestMetadata(discover, clientInfo, new JsonObject());
        using var post = HttpMessages.Post(model, discover, ProtocolVersions.Modern, sessionId: null);
        HttpMessages.AddModernHeaders(post, discover);
        using var response = await http.SendAsync(post, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        JsonObject? answer = null;
        if (HttpMessages.IsEventStream(response))
        {
            await foreach (var message in HttpMessages.ReadEventsAsync(response, cancellationToken).ConfigureAwait(false))
            {
                if (JsonRpc.Classify(message) == JsonRpcKind.Response)
                {
                    answer = message;
                    break;
                }
            }
        }
        else
        {
            answer = await HttpMessages.ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        }

        if (response.StatusCode == HttpStatusCode.OK && answer?["result"] is JsonObject result)
        {
            return (UpstreamDescription.FromResult(result, ProtocolVersions.Modern), null);
        }

        return (null, $"server/discover answered HTTP {(int)response.StatusCode}");
    }

    /// <summary>
    /// Every modern request carries protocol version, client capabilities and client info in <c>_meta</c>.
    /// A caller's own values are kept (they describe the real client); a session-era caller's come from
    /// its initialize (<paramref name="clientCapabilities"/>); client info falls back to the gateway's.
    /// </summary>
    internal static void EnsureRequestMetadata(JsonObject request, JsonObject clientInfo, JsonObject clientCapabilities)
    {
        if (request["params"] is not JsonObject parameters)
        {
            parameters = new JsonObject();
            request["params"] = parameters;
        }

        if (parameters["_meta"] is not JsonObject meta)
        {
            meta = new JsonObject();
            parameters["_meta"] = meta;
        }

        meta[ProtocolVersions.MetaProtocolVersion] = ProtocolVersions.Modern;
        if (!meta.ContainsKey(ProtocolVersions.MetaClientCapabilities))
        {
            meta[ProtocolVersions.MetaClientCapabilities] = clientCapabilities.DeepClone();
        }

        if (!meta.ContainsKey(ProtocolVersions.MetaClientInfo))
        {
            meta[ProtocolVersions.MetaClientInfo] = clientInfo.DeepClone();
        }
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (description, failure) = await DiscoverAsync(_http, _model, _clientInfo, cancellationToken).ConfigureAwait(false);
            if (description is null)
            {
                MarkDown(failure!);
                return;
            }

            _description = description;
            var wasDown = _health.State == UpstreamState.Down;
            _health = new UpstreamHealth(UpstreamState.Ready, null, DateTimeOffset.UtcNow, _health.Restarts + (wasDown ? 1 : 0), "modern");
            Log.Ready(_logger, Name);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            MarkDown(ex.Message);
        }
    }

    private async Task WatchAsync(CancellationToken stopping)
    {
        var attempt = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_health.State == UpstreamState.Ready ? _restart.MaxBackoff : _restart.Backoff(++attempt), stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (_health.State != UpstreamState.Ready)
            {
                await ProbeAsync(stopping).ConfigureAwait(false);
            }
            else
            {
                attempt = 0;
            }
        }
    }

    private void MarkDown(string reason)
    {
        if (_health.State != UpstreamState.Down)
        {
            Log.Down(_logger, Name, reason);
        }

        _health = new UpstreamHealth(UpstreamState.Down, reason, DateTimeOffset.UtcNow, _health.Restarts, "modern");
    }

    public override async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_prober is not null)
        {
            await _prober.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Upstream {Upstream} ready (protocol 2026-07-28, stateless)")]
        public static partial void Ready(ILogger logger, string upstream);

        [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Upstream {Upstream} down: {Reason}")]
        public static partial void Down(ILogger logger, string upstream, string reason);
    }
}
