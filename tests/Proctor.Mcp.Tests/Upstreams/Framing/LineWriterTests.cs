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

        var accepted = Enumerable.Range(0, 6).Select(i => writer.TryEnqueue(new JsonObject { ["n"] = i }, CancellationToken.None)).ToList();
        await pipe.WriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var oneMoreOnceTheFirstIsTaken = writer.TryEnqueue(new JsonObject { ["n"] = 6 }, CancellationToken.None);
        var full = writer.TryEnqueue(new JsonObject { ["n"] = 7 }, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(7));

        // One message is being written (stuck) and three wait: whether the fourth came before or after the
        // writer took the first depends on scheduling, so it is counted either way.
        Assert.Equal(4, accepted.Count(a => a) + (oneMoreOnceTheFirstIsTaken ? 1 : 0));
        Assert.False(accepted[4] || accepted[5] || full);
        Assert.Equal(time.GetUtcNow() - TimeSpan.FromSeconds(7), writer.BlockedSince);
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

    /// <summary>A pipe whose reader stopped: a write starts and never completes, whatever the token says.</summary>
    private sealed class StuckStream : Stream
    {
        public TaskCompletionSource WriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => 0;

        public override long Position { get => 0; set { } }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            WriteStarted.TrySetResult();
            return new ValueTask(new TaskCompletionSource().Task);
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class BrokenStream : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => 0;

        public override long Position { get => 0; set { } }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new IOException("Broken pipe");

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
