using System.Text.Json.Nodes;

namespace Proctor.Mcp.Upstreams.Calls;

/// <summary>
/// What an upstream sends for one call (notifications, then the response), in arrival order, for the
/// call's client to take at its own pace. Bounded: while it has room nothing is lost; once full, a
/// progress notification replaces the progress waiting at its tail (only the latest progress value
/// matters, and only what is delivered is masked and recorded), and any other message waits for room,
/// which holds back the connection's reader and so the upstream (backpressure). The final response always fits.
/// </summary>
internal sealed class CallInbox
{
    /// <summary>Room a new inbox starts with: most calls get their response and a few notifications at most.</summary>
    private const int InitialRoom = 4;

    private readonly object _gate = new();
    private readonly int _capacity;
    private JsonObject?[] _ring;
    private int _head;
    private int _count;
    private bool _tailIsProgress;
    private bool _closed;
    private Exception? _failure;
    private TaskCompletionSource? _readable;
    private TaskCompletionSource? _writable;

    /// <param name="capacity">Messages that may wait besides the response (<c>upstreams.X.maxQueuedMessages</c>).</param>
    public CallInbox(int capacity)
    {
        _capacity = Math.Max(1, capacity);
        // Grown on demand up to capacity + 1 (room for the response): a ring of the configured size (257 by default)
        // for every call was the gateway's largest allocation per call (docs/PERFORMANCE.md).
        _ring = new JsonObject?[Math.Min(_capacity + 1, InitialRoom)];
    }

    /// <summary>Messages waiting for the reader.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Progress notifications that were replaced by a later one, the inbox being full, before the client took them.</summary>
    public long Coalesced { get; private set; }

    /// <summary>
    /// Queues a notification. Waits while the inbox is full; returns at once (dropping the message)
    /// once the call has ended, so a reader that went away never blocks the connection.
    /// </summary>
    public ValueTask WriteAsync(JsonObject notification, bool isProgress, CancellationToken cancellationToken)
    {
        Task wait;
        lock (_gate)
        {
            if (_closed || _failure is not null)
            {
                return ValueTask.CompletedTask;
            }

            if (_count < _capacity)
            {
                Enqueue(notification, isProgress);
                return ValueTask.CompletedTask;
            }

            if (isProgress && _tailIsProgress)
            {
                _ring[(_head + _count - 1) % _ring.Length] = notification;
                Coalesced++;
                return ValueTask.CompletedTask;
            }

            _writable ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = _writable.Task;
        }

        return WaitThenWriteAsync(wait, notification, isProgress, cancellationToken);
    }

    private async ValueTask WaitThenWriteAsync(Task wait, JsonObject notification, bool isProgress, CancellationToken cancellationToken)
    {
        await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        await WriteAsync(notification, isProgress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues the response, which ends what the upstream sends for the call; never waits.</summary>
    public void Complete(JsonObject response)
    {
        lock (_gate)
        {
            // A second response for the same id (a faulty upstream) finds no room and is dropped.
            if (_closed || _failure is not null || _count == _capacity + 1)
            {
                return;
            }

            Enqueue(response, isProgress: false);
        }
    }

    public async ValueTask<JsonObject> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            TaskCompletionSource? writable = null;
            lock (_gate)
            {
                if (_count > 0)
                {
                    var message = _ring[_head]!;
                    _ring[_head] = null;
                    _head = (_head + 1) % _ring.Length;
                    _count--;
                    _tailIsProgress &= _count > 0;
                    (writable, _writable) = (_writable, null);
                    writable?.TrySetResult();
                    return message;
                }

                if (_failure is not null)
                {
                    throw _failure;
                }

                _readable ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _readable.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the call with an error for its reader (the upstream went away); what is queued is still read first.</summary>
    public void Fail(Exception failure)
    {
        lock (_gate)
        {
            _failure ??= failure;
            Wake();
        }
    }

    /// <summary>The call is over: whatever still arrives for it is dropped and no writer waits any longer.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            Array.Clear(_ring);
            _count = 0;
            Wake();
        }
    }

    private void Enqueue(JsonObject message, bool isProgress)
    {
        if (_count == _ring.Length)
        {
            Grow();
        }
        _ring[(_head + _count) % _ring.Length] = message;
        _count++;
        _tailIsProgress = isProgress;
        var readable = _readable;
        _readable = null;
        readable?.TrySetResult();
    }

    /// <summary>Doubles the ring (up to capacity + 1), keeping the queued messages in order from its start.</summary>
    private void Grow()
    {
        var grown = new JsonObject?[Math.Min(_ring.Length * 2, _capacity + 1)];
        for (var i = 0; i < _count; i++)
        {
            grown[i] = _ring[(_head + i) % _ring.Length];
        }
        (_ring, _head) = (grown, 0);
    }

    private void Wake()
    {
        var (readable, writable) = (_readable, _writable);
        (_readable, _writable) = (null, null);
        readable?.TrySetResult();
        writable?.TrySetResult();
    }
}
