namespace Proctor.Http.Lifecycle;

/// <summary>
/// The first step of a shutdown, shared by the HTTP edge (<see cref="DrainMiddleware"/>) and the host:
/// once <see cref="Begin"/> is called the gateway is not ready, refuses new requests, and ends its long-lived
/// streams; requests already in flight run on until they finish or until <see cref="CancelCalls"/>, which the
/// host calls when <c>gateway.shutdownTimeout</c> has passed. A cancelled call is recorded as cancelled by the
/// pipeline, like a call whose client went away.
/// </summary>
internal sealed class GatewayDrain : IDisposable
{
    private readonly CancellationTokenSource _streams = new();
    private readonly CancellationTokenSource _calls = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _draining;

    /// <summary>True from the moment shutdown begins: <c>/readyz</c> answers 503 and new requests are refused.</summary>
    public bool IsDraining => Volatile.Read(ref _draining) == 1;

    /// <summary>Requests being served that the drain waits for (calls, not streams).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Cancelled when the drain begins: long-lived streams (GET, <c>subscriptions/listen</c>) end, so clients reconnect elsewhere.</summary>
    public CancellationToken StreamsEnded => _streams.Token;

    /// <summary>Cancelled when the host gives up waiting: the calls still in flight are cancelled.</summary>
    public CancellationToken CallsCancelled => _calls.Token;

    /// <summary>Idempotent; safe from a lifetime callback (it only flips a flag and cancels tokens).</summary>
    public void Begin()
    {
        if (Interlocked.Exchange(ref _draining, 1) == 1)
        {
            return;
        }

        _streams.Cancel();
        if (Volatile.Read(ref _inFlight) == 0)
        {
            _idle.TrySetResult();
        }
    }

    /// <summary>Counts a request in; false once the drain has begun (the request must be refused). Pair a true with <see cref="Leave"/>.</summary>
    /// <param name="admitWhileDraining">Counts it in even during the drain: a message on a session that a call in flight may be waiting for.</param>
    public bool TryEnter(bool admitWhileDraining = false)
    {
        Interlocked.Increment(ref _inFlight);
        if (admitWhileDraining || !IsDraining)
        {
            return true;
        }

        Leave();
        return false;
    }

    public void Leave()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && IsDraining)
        {
            _idle.TrySetResult();
        }
    }

    /// <summary>Waits until no request is in flight, or <paramref name="limit"/> passes; returns how many are still in flight.</summary>
    public async Task<int> WaitForIdleAsync(TimeSpan limit, TimeProvider time)
    {
        try
        {
            await _idle.Task.WaitAsync(limit, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        return InFlight;
    }

    public void CancelCalls() => _calls.Cancel();

    public void Dispose()
    {
        _streams.Dispose();
        _calls.Dispose();
    }
}
