using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Upstreams.Calls;

/// <summary>
/// The calls in flight on one shared upstream connection. Request ids and progress tokens are
/// rewritten to gateway-unique values because many client sessions share the connection (MCP.md,
/// "Pass-through pitfalls"), and restored on what comes back. Bounded twice: at most
/// <c>maxCallsInFlight</c> calls, each with an inbox of <c>maxQueuedMessages</c>.
/// </summary>
internal sealed class CallMultiplexer(string upstream, int maxCallsInFlight, int inboxCapacity)
{
    public const string ProgressTokenPrefix = "proctor-";

    private readonly ConcurrentDictionary<long, PendingCall> _pending = new();
    private long _nextId;
    private int _count;
    private PendingCall? _latestCall;

    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Registers a call and returns it with the request to send upstream (the caller's message, sent with the
    /// gateway's id and progress token). Throws <see cref="UpstreamUnavailableException"/> when the bound is reached.
    /// </summary>
    public (PendingCall Call, UpstreamRequest Outgoing) Register(JsonObject request, IUpstreamCallSink sink)
    {
        if (Interlocked.Increment(ref _count) > maxCallsInFlight)
        {
            Interlocked.Decrement(ref _count);
            throw new UpstreamUnavailableException(upstream,
                $"{maxCallsInFlight} calls are already in flight to it, the most upstreams.{upstream}.maxCallsInFlight allows; retry when some have finished");
        }

        var id = Interlocked.Increment(ref _nextId);
        var outgoing = UpstreamRequest.For(request, id, out var originalToken);
        var call = new PendingCall(id, request["id"]?.DeepClone(), originalToken, sink, inboxCapacity);
        _pending[id] = call;
        if (!call.IsGateways)
        {
            // The gateway's own pings never own a server request (see GuessOwner).
            Volatile.Write(ref _latestCall, call);
        }

        return (call, outgoing);
    }

    /// <summary>Forgets a call that has ended; anything that still arrives for it is dropped.</summary>
    public void Remove(PendingCall call)
    {
        if (_pending.TryRemove(call.Id, out _))
        {
            Interlocked.Decrement(ref _count);
        }

        call.Inbox.Close();
        Interlocked.CompareExchange(ref _latestCall, null, call);
    }

    public bool TryGet(long id, out PendingCall call) => _pending.TryGetValue(id, out call!);

    /// <summary>Hands the response to its call with the caller's id back; false when no call waits for it.</summary>
    public bool TryComplete(JsonObject response)
    {
        if (response["id"] is not JsonValue idValue || !idValue.TryGetValue<long>(out var id) || !_pending.TryGetValue(id, out var call))
        {
            return false;
        }

        response["id"] = call.OriginalId?.DeepClone();
        call.Inbox.Complete(response);
        return true;
    }

    /// <summary>The call a progress notification belongs to, by the token the gateway gave it, with the caller's token restored.</summary>
    public PendingCall? OwnerOfProgress(JsonObject progress)
    {
        var token = progress["progressToken"]?.ToString();
        if (token is null || !token.StartsWith(ProgressTokenPrefix, StringComparison.Ordinal)
            || !long.TryParse(token.AsSpan(ProgressTokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var callId)
            || !_pending.TryGetValue(callId, out var owner))
        {
            return null;
        }

        progress["progressToken"] = owner.OriginalProgressToken?.DeepClone();
        return owner;
    }

    /// <summary>
    /// stdio says nothing about which call a server request belongs to (docs/architecture.md,
    /// "Server-to-client requests on stdio"): the latest call in flight is the best evidence, but only
    /// while every call in flight is for the same caller; otherwise nobody is guessed (fail closed).
    /// </summary>
    public PendingCall? GuessOwner() => HasCallsOfSeveralCallers() ? null : Volatile.Read(ref _latestCall);

    public bool HasCallsOfSeveralCallers()
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

    /// <summary>
    /// The latest call in flight of a caller (the gateway's own calls aside); a notification tied to no call is
    /// attributed to it only when that caller is the only one in flight (decision 0012).
    /// </summary>
    public PendingCall? SoleCallerCall()
    {
        if (HasCallsOfSeveralCallers())
        {
            return null;
        }

        PendingCall? latest = null;
        foreach (var pending in _pending.Values)
        {
            if (!pending.IsGateways && pending.Sink.CallerKey.Length > 0 && (latest is null || pending.Id > latest.Id))
            {
                latest = pending;
            }
        }

        return latest;
    }

    /// <summary>Ends every call in flight with the reason the connection went away.</summary>
    public void FailAll(string reason)
    {
        foreach (var call in _pending.Values)
        {
            call.Fail(new UpstreamUnavailableException(upstream, reason));
        }
    }

    /// <summary>
    /// Delivers what arrives for the call to its sink, in order, until the response, which it returns.
    /// The sink's pace is the inbox's pace: a slow client fills only its own bounded inbox.
    /// </summary>
    public static async Task<JsonObject> RelayUntilResponseAsync(PendingCall call, CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = await call.Inbox.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (!message.ContainsKey("method"))
            {
                return message;
            }

            await call.Sink.OnNotificationAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }
}
