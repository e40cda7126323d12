using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Proctor.Mcp.Upstreams.Framing;

namespace Proctor.Mcp.Tests.Upstreams.Framing;

public sealed class LineWriterTests
{
    [Fact]
    public async Task Enqueue_PipeNeverTakesTheWrite_CallersNeverWaitAndTheQueueRefusesWhenFull()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 7, 28, 9, 0, 0, TimeSpan.Zero));
        var pipe = new StuckStream();
        var writer = new LineWriter(pipe, capacity: 3, time, _ => { });

        Assert.True(writer.TryEnqueue(new JsonObject { ["n"] = 0 }, CancellationToken.None));
        var inTheStuckWrite = (await pipe.WriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(10))).Count(b => b == (byte)'\n');
        var accepted = Enumerable.Range(1, 6).Select(i => writer.TryEnqueue(new JsonObject { ["n"] = i }, CancellationToken.None)).ToList();
        time.Advance(TimeSpan.FromSeconds(7));

        // Behind the stuck write, three may wait and no more: nothing beyond the bound is ever held, and callers are
        // refused at once. (Messages enqueued while the writer is still taking them give the stuck write a share that
        // depends on scheduling and can exceed the bound; this test once assumed it could not, and failed under load.)
        Assert.Equal(1, inTheStuckWrite);
        Assert.Equal([true, true, true, false, false, false], accepted);
        Assert.Equal(3, writer.Waiting);
        Assert.Equal(time.GetUtcNow() - TimeSpan.FromSeconds(7), writer.BlockedSince);
    }

    [Fact]
    public async Task Enqueue_SeveralWaitBehindAWrite_TheNextWriteTakesThemAllAtOnce()
    {
        var pipe = new GatedStream();
        var writer = new LineWriter(pipe, capacity: 64, TimeProvider.System, _ => { });

        writer.TryEnqueue(new JsonObject { ["n"] = 0 }, CancellationToken.None);
        await pipe.FirstWriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 1; i < 10; i++)
        {
            writer.TryEnqueue(new JsonObject { ["n"] = i }, CancellationToken.None);
        }
        pipe.Open.TrySetResult();
        writer.Complete();
        await writer.Completion.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["{\"n\":0}\n", string.Concat(Enumerable.Range(1, 9).Select(i => $"{{\"n\":{i}}}\n"))], pipe.Writes);
    }

    [Fact]
    public async Task Enqueue_LargeMessagesWaiting_AWriteStaysWithinItsBoundAndKeepsTheOrder()
    {
        var pipe = new GatedStream();
        var writer = new LineWriter(pipe, capacity: 64, TimeProvider.System, _ => { });
        var large = new string('x', LineWriter.MaxWriteBytes * 5 / 8);

        writer.TryEnqueue(new JsonObject { ["n"] = 0 }, CancellationToken.None);
        await pipe.FirstWriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        writer.TryEnqueue(new JsonObject { ["n"] = 1, ["text"] = large }, CancellationToken.None);
        writer.TryEnqueue(new JsonObject { ["n"] = 2, ["text"] = large }, CancellationToken.None);
        writer.TryEnqueue(new JsonObject { ["n"] = 3 }, CancellationToken.None);
        pipe.Open.TrySetResult();
        writer.Complete();
        await writer.Completion.WaitAsync(TimeSpan.FromSeconds(10));

        // The first write; then 1 alone (2 would take the write past its bound); then 2 with 3.
        Assert.Equal(3, pipe.Writes.Count);
        Assert.All(pipe.Writes, w => Assert.True(w.Length <= LineWriter.MaxWriteBytes, $"a write of {w.Length} bytes"));
        var lines = string.Concat(pipe.Writes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([0, 1, 2, 3], lines.Select(l => JsonNode.Parse(l)!["n"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Enqueue_CancelledBeforeItsTurn_IsNotWritten()
    {
        var pipe = new MemoryStream();
        var writer = new LineWriter(pipe, capacity: 8, TimeProvider.System, _ => { });
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        writer.TryEnqueue(new JsonObject { ["n"] = 1 }, cancelled.Token);
        writer.TryEnqueue(new JsonObject { ["n"] = 2 }, CancellationToken.None);
        writer.Complete();
        await writer.Completion.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("{\"n\":2}\n", System.Text.Encoding.UTF8.GetString(pipe.ToArray()));
        Assert.Null(writer.BlockedSince);
    }

    [Fact]
    public async Task Write_PipeBroken_ReportsItOnce()
    {
        var reasons = new List<string>();
        var writer = new LineWriter(new BrokenStream(), capacity: 8, TimeProvider.System, reasons.Add);

        writer.TryEnqueue(new JsonObject { ["n"] = 1 }, CancellationToken.None);
        await writer.Completion.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("stdin is closed", Assert.Single(reasons));
        Assert.False(writer.TryEnqueue(new JsonObject { ["n"] = 2 }, CancellationToken.None));
    }

    [Fact]
    public async Task Enqueue_ManyWritersManySizes_EveryLineArrivesWhole_NoBufferServesTwoMessagesAtOnce()
    {
        // Lines live in pooled buffers that go back once written: a buffer given back while the stream still reads it
        // would send another message's bytes upstream. The stream here reads each write only after yielding, and four
        // writers of messages from empty to past the writer's 1 MiB scratch buffer keep the pool busy meanwhile.
        var pipe = new SlowReadingStream();
        var writer = new LineWriter(pipe, capacity: 4096, TimeProvider.System, _ => { });
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var sizes = new[] { 0, 1, 7, 100, 1_000, 5_000, LineWriter.MaxWriteBytes / 2, LineWriter.MaxWriteBytes, (1 << 20) + 10 };

        var expected = await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var sent = new List<string>();
            for (var i = 0; i < 400; i++)
            {
                var message = new JsonObject { ["w"] = w, ["i"] = i, ["text"] = new string((char)('a' + (i % 26)), sizes[(i * 7 + w) % sizes.Length] / (i % 50 == 0 ? 1 : 8)) };
                var dropped = i % 11 == 5;
                while (!writer.TryEnqueue(message, dropped ? cancelled.Token : CancellationToken.None))
                {
                    await Task.Delay(1);
                }
                if (!dropped)
                {
                    sent.Add(message.ToJsonString());
                }
                if (i % 16 == 0)
                {
                    await Task.Yield();
                }
            }
            return sent;
        })));
        writer.Complete();
        await writer.Completion.WaitAsync(TimeSpan.FromSeconds(60));

        var lines = pipe.Text.ToString().Split('\n');
        Assert.Equal("", lines[^1]);
        for (var w = 0; w < expected.Length; w++)
        {
            Assert.Equal(expected[w], lines[..^1].Where(l => l.StartsWith($"{{\"w\":{w},", StringComparison.Ordinal)));
        }
        Assert.Equal(expected.Sum(e => e.Count), lines.Length - 1);
    }

    /// <summary>A pipe whose reader stopped: a write starts and never completes, whatever the token says.</summary>
    private sealed class StuckStream : WriteOnlyStream
    {
        /// <summary>Completes with the bytes of the write that got stuck.</summary>
        public TaskCompletionSource<byte[]> WriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            WriteStarted.TrySetResult(buffer.ToArray());
            return new ValueTask(new TaskCompletionSource().Task);
        }
    }

    /// <summary>A pipe that takes its first write only once <see cref="Open"/> completes, and keeps every write's text.</summary>
    private sealed class GatedStream : WriteOnlyStream
    {
        public TaskCompletionSource FirstWriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<string> Writes { get; } = [];

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(System.Text.Encoding.UTF8.GetString(buffer.Span));
            FirstWriteStarted.TrySetResult();
            await Open.Task;
        }
    }

    /// <summary>Keeps every write's text, read from the caller's buffer only after the write has yielded.</summary>
    private sealed class SlowReadingStream : WriteOnlyStream
    {
        public System.Text.StringBuilder Text { get; } = new();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(TimeSpan.FromTicks(Random.Shared.Next(2) * 1_000), cancellationToken);
            await Task.Yield();
            Text.Append(System.Text.Encoding.UTF8.GetString(buffer.Span));
        }
    }

    private sealed class BrokenStream : WriteOnlyStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new IOException("Broken pipe");
    }

    /// <summary>A pipe's write end as the writer sees it: each test stream says only what its writes do.</summary>
    private abstract class WriteOnlyStream : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => 0;

        public override long Position { get => 0; set { } }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
