using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Upstreams.Calls;

namespace Proctor.Mcp.Upstreams.Framing;

/// <summary>
/// Newline-delimited output to a pipe, written by one loop from a bounded queue. A write to a pipe the
/// reader no longer drains (a stopped or stuck process) blocks and cannot be cancelled, so callers never
/// write themselves: they queue and go on waiting for their answer under their own timeout. A full queue
/// refuses at once. <see cref="BlockedSince"/> says since when a write has not completed.
/// Each write takes every message waiting, up to <see cref="MaxWriteBytes"/>, so that under load the pipe gets one
/// syscall (and the process one wake-up) per batch rather than per message; the messages in that write are no longer
/// counted as waiting.
/// </summary>
internal sealed class LineWriter
{
    private readonly Stream _stream;
    private readonly TimeProvider _time;
    private readonly Action<string> _onBroken;
    private readonly Channel<Outgoing> _queue;
    private long _writingSinceTicks;

    /// <summary>A write takes no more messages once it holds this many bytes; a single larger message is written alone.</summary>
    public const int MaxWriteBytes = 64 << 10;

    public LineWriter(Stream stream, int capacity, TimeProvider time, Action<string> onBroken)
    {
        _stream = stream;
        _time = time;
        _onBroken = onBroken;
        _queue = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        Completion = Task.Run(WriteLoopAsync);
    }

    public Task Completion { get; }

    /// <summary>When the write in progress started, if one is in progress; null when the pipe takes what it is given.</summary>
    public DateTimeOffset? BlockedSince
    {
        get
        {
            var ticks = Volatile.Read(ref _writingSinceTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public int Waiting => _queue.Reader.Count;

    /// <summary>
    /// Queues the message; false when the queue is full. A message whose token is cancelled before its
    /// turn is not written (nobody waits for its answer any more).
    /// </summary>
    public bool TryEnqueue(JsonObject message, CancellationToken cancellationToken) =>
        TryEnqueue(Outgoing.Of(static (node, writer) => node.WriteTo(writer), message, cancellationToken));

    /// <inheritdoc cref="TryEnqueue(JsonObject, CancellationToken)"/>
    public bool TryEnqueue(UpstreamRequest request, CancellationToken cancellationToken) =>
        TryEnqueue(Outgoing.Of(static (request, writer) => request.WriteTo(writer), request, cancellationToken));

    private bool TryEnqueue(Outgoing line)
    {
        if (_queue.Writer.TryWrite(line))
        {
            return true;
        }

        line.Release();
        return false;
    }

    /// <summary>No more messages; those queued are still written.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private async Task WriteLoopAsync()
    {
        var batch = new ArrayBufferWriter<byte>(4096);
        var inTheWrite = new List<Outgoing>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var lines = NextWrite(batch, inTheWrite);
            if (lines.IsEmpty)
            {
                continue;
            }

            Volatile.Write(ref _writingSinceTicks, _time.GetUtcNow().UtcTicks);
            try
            {
                await _stream.WriteAsync(lines).ConfigureAwait(false);
                await _stream.FlushAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                _queue.Writer.TryComplete();
                _onBroken($"its stdin is closed ({ex.Message})");
                return;
            }
            finally
            {
                Volatile.Write(ref _writingSinceTicks, 0);
            }

            // Only now that the stream is done with them may their buffers serve another message.
            foreach (var line in inTheWrite)
            {
                line.Release();
            }
            inTheWrite.Clear();
        }
    }

    /// <summary>
    /// The waiting messages that go in one write, the cancelled ones left out: a lone message as it is (kept in
    /// <paramref name="inTheWrite"/> until written), several copied together into <paramref name="batch"/> while they
    /// fit in <see cref="MaxWriteBytes"/> (the next one waits its turn).
    /// </summary>
    private ReadOnlyMemory<byte> NextWrite(ArrayBufferWriter<byte> batch, List<Outgoing> inTheWrite)
    {
        var queue = _queue.Reader;
        batch.ResetWrittenCount();
        Outgoing? first = null;
        while (queue.TryPeek(out var next))
        {
            var taken = (first?.Line.Length ?? 0) + batch.WrittenCount;
            if (taken > 0 && taken + next.Line.Length > MaxWriteBytes)
            {
                break;
            }
            queue.TryRead(out _);
            if (next.CancellationToken.IsCancellationRequested)
            {
                next.Release();
                continue;
            }
            if (first is null && batch.WrittenCount == 0)
            {
                first = next;
                continue;
            }
            if (first is { } lone)
            {
                batch.Write(lone.Line.Span);
                lone.Release();
                first = null;
            }
            batch.Write(next.Line.Span);
            next.Release();
        }
        if (first is { } alone)
        {
            inTheWrite.Add(alone);
            return alone.Line;
        }
        return batch.WrittenMemory;
    }

    /// <summary>
    /// One message as its line: the JSON and its newline, so that both reach the upstream in a single syscall
    /// (docs/PERFORMANCE.md, "What the cost is made of"), in a pooled buffer that goes back once the line is written
    /// or dropped.
    /// </summary>
    private readonly record struct Outgoing(byte[] Buffer, int Length, CancellationToken CancellationToken)
    {
        public ReadOnlyMemory<byte> Line => Buffer.AsMemory(0, Length);

        public static Outgoing Of<T>(Action<T, Utf8JsonWriter> write, T message, CancellationToken cancellationToken)
        {
            var json = JsonScratch.Write(message, write);
            var buffer = ArrayPool<byte>.Shared.Rent(json.Length + 1);
            json.CopyTo(buffer);
            buffer[json.Length] = (byte)'\n';
            return new Outgoing(buffer, json.Length + 1, cancellationToken);
        }

        public void Release() => ArrayPool<byte>.Shared.Return(Buffer);
    }
}
