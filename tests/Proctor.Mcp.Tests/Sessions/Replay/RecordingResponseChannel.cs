using System.Collections.Concurrent;
using System.Text;
using Proctor.Mcp.Clients;

namespace Proctor.Mcp.Tests.Sessions.Replay;

/// <summary>
/// A client connection as the transport would present it: records what reached it, in order, and can drop, after
/// which every write fails as a dead socket's would.
/// </summary>
internal sealed class RecordingResponseChannel(bool acceptsEvents = true) : IResponseChannel
{
    private readonly CancellationTokenSource _gone = new();
    private readonly CancellationTokenSource _stopping = new();

    public bool AcceptsEvents => acceptsEvents;

    public CancellationToken ClientGone => _gone.Token;

    public CancellationToken Stopping => _stopping.Token;

    public bool Started { get; private set; }

    public ConcurrentQueue<StreamEvent> Events { get; } = new();

    public int KeepAlives { get; private set; }

    /// <summary>The data of what arrived, priming events left out.</summary>
    public IReadOnlyList<string> Data => [.. Events.Where(e => !e.Data.IsEmpty).Select(e => Encoding.UTF8.GetString(e.Data.Span))];

    /// <summary>The id of the last event that arrived, as a client would send it in <c>Last-Event-ID</c>.</summary>
    public string LastId => Events.Last().Id!;

    public void Drop() => _gone.Cancel();

    public ValueTask<bool> TryStartEventsAsync()
    {
        if (_gone.IsCancellationRequested)
        {
            return ValueTask.FromResult(false);
        }

        Started = true;
        return ValueTask.FromResult(true);
    }

    public ValueTask<bool> TryWriteEventAsync(StreamEvent streamEvent)
    {
        if (_gone.IsCancellationRequested)
        {
            return ValueTask.FromResult(false);
        }

        Started = true;
        Events.Enqueue(streamEvent);
        return ValueTask.FromResult(true);
    }

    public ValueTask<bool> TryKeepAliveAsync()
    {
        KeepAlives++;
        return ValueTask.FromResult(!_gone.IsCancellationRequested);
    }
}
