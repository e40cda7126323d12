using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Upstreams;

/// <summary>
/// An upstream spoken to in the session era (initialize handshake) over a link that is reopened with
/// backoff whenever it dies. Request ids and progress tokens are rewritten to gateway-unique values
/// because many client sessions share this one connection (MCP.md, "Pass-through pitfalls").
/// </summary>
public sealed partial class SessionUpstream : Upstream
{
    private const string ProgressTokenPrefix = "proctor-";

    private readonly IUpstreamLinkFactory _links;
    private readonly UpstreamRestartPolicy _restart;
    private readonly JsonObject _clientInfo;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, PendingCall> _pending = new();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _serverRequests = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextId;
    private volatile IUpstreamLink? _link;
    private volatile UpstreamDescription? _description;
    private volatile UpstreamHealth _health = new(UpstreamState.Starting, null, DateTimeOffset.UtcNow, 0, "legacy");
    private PendingCall? _latestCall;
    private Task? _supervisor;

    public SessionUpstream(string name, IUpstreamLinkFactory links, UpstreamRestartPolicy restart, JsonObject clientInfo, ILogger logger)
        : base(name)
    {
        _links = links;
        _restart = restart;
        _clientInfo = clientInfo;
        _logger = logger;
    }

    public override UpstreamHealth Health => _health;

    public override UpstreamDescription? Description => _description;

    /// <summary>Starts supervision and waits (bounded by the token) for the first connection attempt.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _supervisor ??= Task.Run(() => SuperviseAsync(_stopping.Token), CancellationToken.None);
        await _firstAttempt.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task<JsonObject> CallAsync(JsonObject request, IUpstreamCallSink sink, CancellationToken cancellationToken)
    {
        var link = _link;
        if (link is null || _health.State != UpstreamState.Ready)
        {
            throw new UpstreamUnavailableException(Name, _health.Reason ?? "it is still starting");
        }

        return await SendOverLinkAsync(link, request, sink, cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask NotifyAsync(JsonObject notification, CancellationToken cancellationToken)
    {
        var link = _link ?? throw new UpstreamUnavailableException(Name, _health.Reason ?? "it is still starting");
        if (JsonRpc.Method(notification) == McpMethods.Cancelled)
        {
            return; // Cancellation is driven by the caller's token (CallAsync), which knows the upstream id.
        }

        await link.SendAsync(notification, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonObject> SendOverLinkAsync(IUpstreamLink link, JsonObject request, IUpstreamCallSink sink, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var outgoing = request.DeepClone().AsObject();
        var originalId = outgoing["id"];
        outgoing["id"] = id;
        var originalToken = RewriteProgressToken(outgoing, id);
        var call = new PendingCall(id, originalId?.DeepClone(), originalToken, sink);
        _pending[id] = call;
        Volatile.Write(ref _latestCall, call);
        try
        {
            await link.SendAsync(outgoing, cancellationToken).ConfigureAwait(false);
            return await RelayUntilResponseAsync(call, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex) when (ex.InnerException is UpstreamUnavailableException unavailable)
        {
            throw unavailable;
        }
        catch (Pipeline.CallRefusedException)
        {
            await SendCancelledAsync(link, id).ConfigureAwait(false); // A stage withheld what came back: the upstream should stop too.
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (JsonRpc.Method(outgoing) != McpMethods.Initialize)
            {
                await SendCancelledAsync(link, id).ConfigureAwait(false); // The spec forbids cancelling initialize.
            }

            throw;
        }
        finally
        {
            _pending.TryRemove(id, out _);
            Interlocked.CompareExchange(ref _latestCall, null, call);
        }
    }

    private static async Task<JsonObject> RelayUntilResponseAsync(PendingCall call, CancellationToken cancellationToken)
    {
        var inbox = call.Inbox.Reader;
        while (true)
        {
            var message = await inbox.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (!message.ContainsKey("method"))
            {
                return message;
            }

            await call.Sink.OnNotificationAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendCancelledAsync(IUpstreamLink link, long id)
    {
        try
        {
            var cancelled = JsonRpc.Notification(McpMethods.Cancelled, new JsonObject { ["requestId"] = id, ["reason"] = "The client cancelled the request or disconnected." });
            await link.SendAsync(cancelled, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.CancelNotSent(_logger, Name, ex.Message);
        }
    }

    private static JsonNode? RewriteProgressToken(JsonObject request, long id)
    {
        if (request["params"]?["_meta"] is not JsonObject meta || !meta.TryGetPropertyValue("progressToken", out var token))
        {
            return null;
        }

        meta["progressToken"] = ProgressTokenPrefix + id.ToString(CultureInfo.InvariantCulture);
        return token?.DeepClone();
    }

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        var attempt = 0;
        while (!stopping.IsCancellationRequested)
        {
            string reason;
            try
            {
                reason = await RunOneLinkAsync(stopping).ConfigureAwait(false);
                attempt = 0;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                reason = ex.Message;
                attempt++;
            }

            FailPending(reason);
            SetHealth(UpstreamState.Down, reason);
            _firstAttempt.TrySetResult();
            Log.UpstreamDown(_logger, Name, reason);
            try
            {
                await Task.Delay(_restart.Backoff(attempt), stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        SetHealth(UpstreamState.Stopped, "the gateway is shutting down");
    }

    /// <summary>Opens a link, performs the handshake, relays until the link closes; returns why it closed.</summary>
    private async Task<string> RunOneLinkAsync(CancellationToken stopping)
    {
        await using var link = await _links.OpenAsync(stopping).ConfigureAwait(false);
        var reader = Task.Run(() => ReadLoopAsync(link, stopping), CancellationToken.None);
        await HandshakeAsync(link, stopping).ConfigureAwait(false);
        _link = link;
        SetHealth(UpstreamState.Ready, null);
        _firstAttempt.TrySetResult();
        Log.UpstreamReady(_logger, Name, _description?.ProtocolVersion ?? "?");
        try
        {
            return await link.Closed.WaitAsync(stopping).ConfigureAwait(false);
        }
        finally
        {
            _link = null;
            await reader.ConfigureAwait(false);
        }
    }

    private async Task HandshakeAsync(IUpstreamLink link, CancellationToken stopping)
    {
        var initialize = JsonRpc.Request(0, McpMethods.Initialize, new JsonObject
        {
            ["protocolVersion"] = ProtocolVersions.LatestLegacy,
            ["capabilities"] = GatewayClientCapabilities(),
            ["clientInfo"] = _clientInfo.DeepClone(),
        });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(_restart.HandshakeTimeout);
        var closed = link.Closed.ContinueWith(t => (JsonObject?)null, TaskScheduler.Default);
        JsonObject? response;
        try
        {
            response = await Task.WhenAny(SendOverLinkAsync(link, initialize, DetachedCallSink.Instance, timeout.Token), closed!).Unwrap().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            throw new TimeoutException($"the server did not answer initialize within {_restart.HandshakeTimeout.TotalSeconds:0.#} s");
        }

        if (response is null)
        {
            throw new InvalidOperationException($"the server exited during the initialize handshake ({await link.Closed.ConfigureAwait(false)})");
        }

        if (response["result"] is not JsonObject result)
        {
            throw new InvalidOperationException($"the server refused initialize: {response["error"]?["message"]}");
        }

        var description = UpstreamDescription.FromResult(result, ProtocolVersions.LatestLegacy);
        link.NegotiatedVersion = description.ProtocolVersion;
        _description = description;
        await link.SendAsync(JsonRpc.Notification(McpMethods.Initialized, null), stopping).ConfigureAwait(false);
    }

    /// <summary>
    /// The gateway declares every client capability so that upstreams offer their full feature set;
    /// a server-to-client request for a capability the actual caller lacks is refused per call.
    /// </summary>
    private static JsonObject GatewayClientCapabilities() => new()
    {
        ["roots"] = new JsonObject { ["listChanged"] = true },
        ["sampling"] = new JsonObject(),
        ["elicitation"] = new JsonObject { ["form"] = new JsonObject(), ["url"] = new JsonObject() },
    };

    private async Task ReadLoopAsync(IUpstreamLink link, CancellationToken stopping)
    {
        try
        {
            await foreach (var item in link.Incoming.ReadAllAsync(stopping).ConfigureAwait(false))
            {
                Dispatch(link, item);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Dispatch(IUpstreamLink link, LinkMessage item)
    {
        var message = item.Message;
        switch (JsonRpc.Classify(message))
        {
            case JsonRpcKind.Response:
                CompleteCall(message);
                break;
            case JsonRpcKind.Request:
                _ = AnswerServerRequestAsync(link, message, item.RelatedRequestId);
                break;
            case JsonRpcKind.Notification:
                RouteNotification(message, item.RelatedRequestId);
                break;
            default:
                Log.InvalidUpstreamMessage(_logger, Name);
                break;
        }
    }

    private void CompleteCall(JsonObject response)
    {
        if (response["id"] is not JsonValue idValue || !idValue.TryGetValue<long>(out var id) || !_pending.TryGetValue(id, out var call))
        {
            Log.UnmatchedResponse(_logger, Name);
            return;
        }

        response["id"] = call.OriginalId?.DeepClone();
        call.Inbox.Writer.TryWrite(response);
    }

    private void RouteNotification(JsonObject notification, long? relatedId)
    {
        var method = JsonRpc.Method(notification);
        if (method == McpMethods.Cancelled)
        {
            // The upstream withdraws one of its own requests to a client (elicitation, sampling).
            if (notification["params"]?["requestId"]?.ToJsonString() is { } cancelled && _serverRequests.TryGetValue(cancelled, out var request))
            {
                request.Cancel();
            }

            return;
        }

        if (method == McpMethods.Progress && notification["params"] is JsonObject progress)
        {
            var token = progress["progressToken"]?.ToString();
            if (token is not null && token.StartsWith(ProgressTokenPrefix, StringComparison.Ordinal)
                && long.TryParse(token.AsSpan(ProgressTokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var callId)
                && _pending.TryGetValue(callId, out var owner))
            {
                progress["progressToken"] = owner.OriginalProgressToken?.DeepClone();
                owner.Inbox.Writer.TryWrite(notification);
            }

            return;
        }

        if (relatedId is { } related && _pending.TryGetValue(related, out var call))
        {
            call.Inbox.Writer.TryWrite(notification);
            return;
        }

        if (method is McpMethods.ToolsListChanged or McpMethods.PromptsListChanged or McpMethods.ResourcesListChanged or McpMethods.ResourceUpdated)
        {
            RaiseUnsolicited(notification); // about the server, not a call: the relay delivers it to whoever is entitled
            return;
        }

        // Anything else (a log above all) may carry the data of the call it was emitted for. Tied to a call that has
        // ended, it belongs to that call's caller alone; untied (stdio, or the HTTP GET stream), it is attributed as
        // server requests are (GuessOwner): to the caller in flight when there is exactly one, never guessed among several.
        if (relatedId is not null || HasCallsOfSeveralCallers())
        {
            Log.NotificationWithheld(_logger, Name, method ?? "?", relatedId is null ? "calls of several callers are in flight and nothing says which one it belongs to" : "the call it belongs to has ended");
            return;
        }

        if (SoleCallerCall() is { } caller)
        {
            caller.Inbox.Writer.TryWrite(notification);
            return;
        }

        RaiseUnsolicited(notification);
    }

    /// <summary>The latest call in flight for a caller, when every call in flight is that caller's (the gateway's own calls aside).</summary>
    private PendingCall? SoleCallerCall()
    {
        PendingCall? latest = null;
        foreach (var pending in _pending.Values)
        {
            if (pending.Sink.CallerKey.Length > 0 && (latest is null || pending.Id > latest.Id))
            {
                latest = pending;
            }
        }

        return latest;
    }

    private async Task AnswerServerRequestAsync(IUpstreamLink link, JsonObject request, long? relatedId)
    {
        var upstreamId = request["id"]!.DeepClone();
        JsonObject answer;
        if (JsonRpc.Method(request) == McpMethods.Ping)
        {
            answer = JsonRpc.Result(upstreamId, new JsonObject());
        }
        else
        {
            var owner = relatedId is { } related && _pending.TryGetValue(related, out var call) ? call : GuessOwner();
            var key = upstreamId.ToJsonString();
            using var cancellable = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            _serverRequests[key] = cancellable;
            try
            {
                answer = owner is not null
                    ? await owner.Sink.OnServerRequestAsync(request, cancellable.Token).ConfigureAwait(false)
                    : relatedId is null && HasCallsOfSeveralCallers()
                        ? JsonRpc.Error(upstreamId, JsonRpcErrorCodes.InvalidRequest, "Calls of several callers are in flight and stdio does not say which one this request belongs to; the gateway will not show it to the wrong one. Retry when fewer calls run.")
                    : JsonRpc.Method(request) == "roots/list"
                        ? JsonRpc.Result(upstreamId, new JsonObject { ["roots"] = new JsonArray() }) // The gateway itself exposes no roots.
                        : JsonRpc.Error(upstreamId, JsonRpcErrorCodes.MethodNotFound, "No client request is in flight to carry this server request.");
            }
            catch (OperationCanceledException) when (cancellable.IsCancellationRequested && !_stopping.IsCancellationRequested)
            {
                return; // The upstream cancelled its own request: it expects no answer.
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                answer = JsonRpc.Error(upstreamId, JsonRpcErrorCodes.InternalError, $"The gateway could not relay the request to the client: {ex.Message}");
            }
            finally
            {
                _serverRequests.TryRemove(key, out _);
            }

            answer["id"] = upstreamId;
        }

        try
        {
            await link.SendAsync(answer, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ServerRequestAnswerLost(_logger, Name, ex.Message);
        }
    }

    /// <summary>
    /// stdio says nothing about which call a server request belongs to (docs/architecture.md,
    /// "Server-to-client requests on stdio"): the latest call in flight is the best evidence, but only
    /// while every call in flight is for the same caller; otherwise nobody is guessed (fail closed).
    /// </summary>
    private PendingCall? GuessOwner() => HasCallsOfSeveralCallers() ? null : Volatile.Read(ref _latestCall);

    private bool HasCallsOfSeveralCallers()
    {
        string? seen = null;
        foreach (var pending in _pending.Values)
        {
            var caller = pending.Sink.CallerKey;
            if (caller.Length == 0)
            {
                continue;
            }

            if (seen is not null && seen != caller)
            {
                return true;
            }

            seen = caller;
        }

        return false;
    }

    private void FailPending(string reason)
    {
        foreach (var call in _pending.Values)
        {
            call.Fail(new UpstreamUnavailableException(Name, reason));
        }
    }

    private void SetHealth(UpstreamState state, string? reason)
    {
        var previous = _health;
        var restarts = previous.Restarts + (state == UpstreamState.Ready && previous.State == UpstreamState.Down ? 1 : 0);
        _health = new UpstreamHealth(state, reason, DateTimeOffset.UtcNow, restarts, "legacy");
    }

    public override async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_supervisor is not null)
        {
            await _supervisor.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Upstream {Upstream} ready (protocol {Version})")]
        public static partial void UpstreamReady(ILogger logger, string upstream, string version);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Upstream {Upstream} down: {Reason}")]
        public static partial void UpstreamDown(ILogger logger, string upstream, string reason);

        [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Upstream {Upstream} sent a message that is not JSON-RPC 2.0; ignored")]
        public static partial void InvalidUpstreamMessage(ILogger logger, string upstream);

        [LoggerMessage(EventId = 1104, Level = LogLevel.Debug, Message = "Upstream {Upstream} answered a request the gateway no longer waits for")]
        public static partial void UnmatchedResponse(ILogger logger, string upstream);

        [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Upstream {Upstream}: could not send notifications/cancelled: {Reason}")]
        public static partial void CancelNotSent(ILogger logger, string upstream, string reason);

        [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "Upstream {Upstream}: the answer to its request could not be delivered: {Reason}")]
        public static partial void ServerRequestAnswerLost(ILogger logger, string upstream, string reason);

        [LoggerMessage(EventId = 2130, Level = LogLevel.Warning, Message = "Upstream {Upstream}: notification {Method} withheld from every client: {Reason}")]
        public static partial void NotificationWithheld(ILogger logger, string upstream, string method, string reason);
    }
}
