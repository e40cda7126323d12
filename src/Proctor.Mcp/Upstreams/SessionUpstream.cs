using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Proctor.Configuration.Models;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Upstreams.Calls;
using Proctor.Mcp.Upstreams.Supervision;

namespace Proctor.Mcp.Upstreams;

/// <summary>
/// An upstream spoken to in the session era (initialize handshake) over a link that is reopened with
/// backoff whenever it dies. Three parts: <see cref="UpstreamSupervisor"/> keeps a link open and owns the
/// health; <see cref="CallMultiplexer"/> holds the calls in flight on it (gateway-unique ids and progress
/// tokens, bounded inboxes); <see cref="ServerRequestRouter"/> answers the upstream's own requests. This
/// class opens each link, performs the handshake and routes what arrives to those parts.
/// </summary>
public sealed partial class SessionUpstream : Upstream
{
    private readonly IUpstreamLinkFactory _links;
    private readonly UpstreamRestartPolicy _restart;
    private readonly JsonObject _clientInfo;
    private readonly ILogger _logger;
    private readonly UpstreamSupervisor _supervisor;
    private readonly CallMultiplexer _calls;
    private readonly ServerRequestRouter _serverRequests;
    private volatile IUpstreamLink? _link;
    private volatile UpstreamDescription? _description;
    private volatile bool _heldBack;

    public SessionUpstream(string name, IUpstreamLinkFactory links, UpstreamRestartPolicy restart, UpstreamLimits limits, JsonObject clientInfo, UpstreamServices services, ILogger logger)
        : base(name)
    {
        _links = links;
        _restart = restart;
        _clientInfo = clientInfo;
        _logger = logger;
        _supervisor = new UpstreamSupervisor(name, "legacy", restart, services, logger);
        _calls = new CallMultiplexer(name, limits.MaxCallsInFlight, limits.MaxQueuedMessages);
        _serverRequests = new ServerRequestRouter(name, _calls, logger, _supervisor.Stopping);
    }

    public override UpstreamHealth Health => _supervisor.Health;

    public override UpstreamDescription? Description => _description;

    /// <summary>Starts supervision and waits (bounded by the token) for the first connection attempt.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _supervisor.Start(RunOneLinkAsync, _calls.FailAll);
        await _supervisor.FirstAttempt.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task<JsonObject> CallAsync(JsonObject request, IUpstreamCallSink sink, CancellationToken cancellationToken)
    {
        var link = _link;
        var health = Health;
        if (link is null || health.State != UpstreamState.Ready)
        {
            _supervisor.RequestAttempt();
            throw new UpstreamUnavailableException(Name, health.Reason ?? "it is still starting");
        }

        return await SendOverLinkAsync(link, request, sink, cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask NotifyAsync(JsonObject notification, CancellationToken cancellationToken)
    {
        var link = _link ?? throw new UpstreamUnavailableException(Name, Health.Reason ?? "it is still starting");
        if (JsonRpc.Method(notification) == McpMethods.Cancelled)
        {
            return; // Cancellation is driven by the caller's token (CallAsync), which knows the upstream id.
        }

        await link.SendAsync(notification, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonObject> SendOverLinkAsync(IUpstreamLink link, JsonObject request, IUpstreamCallSink sink, CancellationToken cancellationToken)
    {
        var (call, outgoing) = _calls.Register(request, sink);
        try
        {
            await link.SendAsync(outgoing, cancellationToken).ConfigureAwait(false);
            return await CallMultiplexer.RelayUntilResponseAsync(call, cancellationToken).ConfigureAwait(false);
        }
        catch (Pipeline.CallRefusedException)
        {
            SendCancelled(link, call.Id); // A stage withheld what came back: the upstream should stop too.
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The spec forbids cancelling initialize; a ping the gateway gave up on needs no cancellation.
            if (JsonRpc.Method(request) is not (McpMethods.Initialize or McpMethods.Ping))
            {
                SendCancelled(link, call.Id);
            }

            throw;
        }
        finally
        {
            _calls.Remove(call);
        }
    }

    /// <summary>
    /// Tells the upstream to stop working on a call, without making the caller wait for it: a stuck link
    /// must not hold back the answer the caller is owed (its timeout or its refusal).
    /// </summary>
    private void SendCancelled(IUpstreamLink link, long id) => _ = SendCancelledAsync(link, id);

    private async Task SendCancelledAsync(IUpstreamLink link, long id)
    {
        try
        {
            using var deadline = new CancellationTokenSource(_restart.StallAfter, _supervisor.Time);
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(_supervisor.Stopping, deadline.Token);
            var cancelled = JsonRpc.Notification(McpMethods.Cancelled, new JsonObject { ["requestId"] = id, ["reason"] = "The client cancelled the request or disconnected." });
            await link.SendAsync(cancelled, bounded.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.CancelNotSent(_logger, Name, ex.Message);
        }
    }

    /// <summary>Opens a link, performs the handshake, relays until the link closes; returns why it closed.</summary>
    private async Task<string> RunOneLinkAsync(CancellationToken stopping)
    {
        IUpstreamLink link;
        try
        {
            link = await _links.OpenAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException or UpstreamAttemptException))
        {
            throw new UpstreamAttemptException(UpstreamReasonCodes.OpenFailed, ex.Message, ex);
        }

        var watch = new LivenessWatch(_supervisor, _restart, token => _heldBack ? Task.CompletedTask : PingAsync(link, token));
        var reader = Task.Run(() => ReadLoopAsync(link, watch, stopping), CancellationToken.None);
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        try
        {
            await HandshakeAsync(link, stopping).ConfigureAwait(false);
            _link = link;
            _supervisor.BlockedSince = () => link.BlockedSince;
            _supervisor.MarkReady(_description?.ProtocolVersion ?? "?");
            var watching = watch.RunAsync(connection.Token);
            try
            {
                return await link.Closed.WaitAsync(stopping).ConfigureAwait(false);
            }
            finally
            {
                await connection.CancelAsync().ConfigureAwait(false);
                await watching.ConfigureAwait(false);
            }
        }
        finally
        {
            _link = null;
            _supervisor.BlockedSince = null;

            // Disposed before the reader is awaited: an HTTP link's messages end only when it is disposed. The
            // reader first delivers what the link received before it closed (an answer, then the exit).
            await link.DisposeAsync().ConfigureAwait(false);
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
        using var deadline = new CancellationTokenSource(_restart.HandshakeTimeout, _supervisor.Time);
        using var registration = deadline.Token.Register(timeout.Cancel);
        var sending = SendOverLinkAsync(link, initialize, DetachedCallSink.Instance, timeout.Token);
        JsonObject response;
        try
        {
            if (await Task.WhenAny(sending, link.Closed).ConfigureAwait(false) != sending && !sending.IsCompleted)
            {
                _ = sending.ContinueWith(static t => t.Exception, TaskScheduler.Default); // failed with the link's calls
                throw new UpstreamAttemptException(UpstreamReasonCodes.HandshakeFailed, $"the connection ended during the initialize handshake ({await link.Closed.ConfigureAwait(false)})");
            }

            response = await sending.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            throw new UpstreamAttemptException(UpstreamReasonCodes.HandshakeFailed, $"the server did not answer initialize within {_restart.HandshakeTimeout.TotalSeconds:0.#} s");
        }
        catch (UpstreamUnavailableException ex)
        {
            // The initialize could not be sent at all: the server was not reached.
            throw new UpstreamAttemptException(UpstreamReasonCodes.OpenFailed, ex.Reason, ex);
        }

        if (response["result"] is not JsonObject result)
        {
            // The upstream's words may quote what the gateway sent it (a credential) or customer data.
            throw new UpstreamAttemptException(UpstreamReasonCodes.HandshakeFailed, $"the server refused initialize: {_supervisor.Mask(response["error"]?["message"]?.ToString() ?? "(no message)")}");
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

    /// <summary>A liveness check: any answer, even an error, shows that the upstream reads and writes.</summary>
    private Task PingAsync(IUpstreamLink link, CancellationToken cancellationToken) =>
        SendOverLinkAsync(link, JsonRpc.Request(0, McpMethods.Ping, null), DetachedCallSink.Instance, cancellationToken);

    private async Task ReadLoopAsync(IUpstreamLink link, LivenessWatch watch, CancellationToken stopping)
    {
        try
        {
            await foreach (var item in link.Incoming.ReadAllAsync(stopping).ConfigureAwait(false))
            {
                watch.Heard();
                await DispatchAsync(link, item).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async ValueTask DispatchAsync(IUpstreamLink link, LinkMessage item)
    {
        var message = item.Message;
        switch (JsonRpc.Classify(message))
        {
            case JsonRpcKind.Response:
                if (!_calls.TryComplete(message))
                {
                    Log.UnmatchedResponse(_logger, Name);
                }

                break;
            case JsonRpcKind.Request:
                _ = _serverRequests.AnswerAsync(link, message, item.RelatedRequestId);
                break;
            case JsonRpcKind.Notification:
                var routed = RouteNotification(message, item.RelatedRequestId);
                if (!routed.IsCompleted)
                {
                    // A call's inbox is full: the upstream is held back, which is not a stall of its own.
                    _heldBack = true;
                    try
                    {
                        await routed.ConfigureAwait(false);
                    }
                    finally
                    {
                        _heldBack = false;
                    }
                }

                break;
            default:
                Log.InvalidUpstreamMessage(_logger, Name);
                break;
        }
    }

    private ValueTask RouteNotification(JsonObject notification, long? relatedId)
    {
        var method = JsonRpc.Method(notification);
        if (method == McpMethods.Cancelled)
        {
            // The upstream withdraws one of its own requests to a client (elicitation, sampling).
            _serverRequests.Withdraw(notification);
            return ValueTask.CompletedTask;
        }

        if (method == McpMethods.Progress && notification["params"] is JsonObject progress)
        {
            return _calls.OwnerOfProgress(progress) is { } owner
                ? owner.Inbox.WriteAsync(notification, isProgress: true, _supervisor.Stopping)
                : ValueTask.CompletedTask;
        }

        if (relatedId is { } related && _calls.TryGet(related, out var call))
        {
            return call.Inbox.WriteAsync(notification, isProgress: false, _supervisor.Stopping);
        }

        if (method is McpMethods.ToolsListChanged or McpMethods.PromptsListChanged or McpMethods.ResourcesListChanged or McpMethods.ResourceUpdated)
        {
            RaiseUnsolicited(notification); // about the server, not a call: the relay delivers it to whoever is entitled
            return ValueTask.CompletedTask;
        }

        // Anything else (a log above all) may carry the data of the call it was emitted for. Tied to a call that has
        // ended, it belongs to that call's caller alone; untied (stdio, or the HTTP GET stream), it is attributed as
        // server requests are (GuessOwner): to the caller in flight when there is exactly one, never guessed among several.
        if (relatedId is not null || _calls.HasCallsOfSeveralCallers())
        {
            Log.NotificationWithheld(_logger, Name, method ?? "?", relatedId is null ? "calls of several callers are in flight and nothing says which one it belongs to" : "the call it belongs to has ended");
            return ValueTask.CompletedTask;
        }

        if (_calls.SoleCallerCall() is { } caller)
        {
            return caller.Inbox.WriteAsync(notification, isProgress: false, _supervisor.Stopping);
        }

        RaiseUnsolicited(notification);
        return ValueTask.CompletedTask;
    }

    public override async ValueTask DisposeAsync() => await _supervisor.DisposeAsync().ConfigureAwait(false);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Upstream {Upstream} sent a message that is not JSON-RPC 2.0; ignored")]
        public static partial void InvalidUpstreamMessage(ILogger logger, string upstream);

        [LoggerMessage(EventId = 1104, Level = LogLevel.Debug, Message = "Upstream {Upstream} answered a request the gateway no longer waits for")]
        public static partial void UnmatchedResponse(ILogger logger, string upstream);

        [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Upstream {Upstream}: could not send notifications/cancelled: {Reason}")]
        public static partial void CancelNotSent(ILogger logger, string upstream, string reason);

        [LoggerMessage(EventId = 2130, Level = LogLevel.Warning, Message = "Upstream {Upstream}: notification {Method} withheld from every client: {Reason}")]
        public static partial void NotificationWithheld(ILogger logger, string upstream, string method, string reason);
    }
}
