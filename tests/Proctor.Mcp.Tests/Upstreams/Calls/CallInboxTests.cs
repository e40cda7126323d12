using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Upstreams.Calls;

namespace Proctor.Mcp.Tests.Upstreams.Calls;

public sealed class CallInboxTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static JsonObject Progress(int n) => JsonRpc.Notification(McpMethods.Progress, new JsonObject { ["progressToken"] = "t", ["progress"] = n });

    private static JsonObject Log(int n) => JsonRpc.Notification(McpMethods.Message, new JsonObject { ["level"] = "info", ["data"] = n });

    private static string Describe(JsonObject message) =>
        JsonRpc.Method(message) switch
        {
            McpMethods.Progress => $"P{message["params"]!["progress"]}",
            McpMethods.Message => $"L{message["params"]!["data"]}",
            _ => "R",
        };

    private static async Task<List<string>> DrainAsync(CallInbox inbox)
    {
        var read = new List<string>();
        while (true)
        {
            var message = await inbox.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Patience);
            read.Add(Describe(message));
            if (!message.ContainsKey("method"))
            {
                return read;
            }
        }
    }

    [Fact]
    public async Task Write_ProgressWhileTheInboxIsFull_ReplacesTheProgressWaitingAtItsTail()
    {
        var inbox = new CallInbox(4);

        for (var i = 1; i <= 1000; i++)
        {
            await inbox.WriteAsync(Progress(i), isProgress: true, CancellationToken.None);
        }

        inbox.Complete(JsonRpc.Result(1, new JsonObject()));

        Assert.Equal(["P1", "P2", "P3", "P1000", "R"], await DrainAsync(inbox));
        Assert.Equal(996, inbox.Coalesced);
    }

    [Fact]
    public async Task Write_WhileThereIsRoom_NothingIsReplacedAndOrderIsKept()
    {
        var inbox = new CallInbox(8);

        await inbox.WriteAsync(Progress(1), isProgress: true, CancellationToken.None);
        await inbox.WriteAsync(Log(1), isProgress: false, CancellationToken.None);
        await inbox.WriteAsync(Progress(2), isProgress: true, CancellationToken.None);
        await inbox.WriteAsync(Progress(3), isProgress: true, CancellationToken.None);
        inbox.Complete(JsonRpc.Result(1, new JsonObject()));

        Assert.Equal(["P1", "L1", "P2", "P3", "R"], await DrainAsync(inbox));
        Assert.Equal(0, inbox.Coalesced);
    }

    [Fact]
    public async Task Write_ProgressWhileTheInboxIsFullAndItsTailIsALog_WaitsBehindIt()
    {
        var inbox = new CallInbox(2);
        await inbox.WriteAsync(Progress(1), isProgress: true, CancellationToken.None);
        await inbox.WriteAsync(Log(2), isProgress: false, CancellationToken.None);

        var progress = inbox.WriteAsync(Progress(3), isProgress: true, CancellationToken.None).AsTask();
        await Task.Delay(50);
        var waited = !progress.IsCompleted;
        await inbox.ReadAsync(CancellationToken.None);
        await progress.WaitAsync(Patience);
        inbox.Complete(JsonRpc.Result(1, new JsonObject()));

        Assert.True(waited, "a progress notification must not jump over the log message before it");
        Assert.Equal(["L2", "P3", "R"], await DrainAsync(inbox));
    }

    [Fact]
    public async Task Write_InboxFullOfOtherNotifications_WaitsUntilTheReaderTakesOne()
    {
        var inbox = new CallInbox(2);
        await inbox.WriteAsync(Log(1), isProgress: false, CancellationToken.None);
        await inbox.WriteAsync(Log(2), isProgress: false, CancellationToken.None);

        var third = inbox.WriteAsync(Log(3), isProgress: false, CancellationToken.None).AsTask();
        await Task.Delay(50);
        var waitedWhileFull = !third.IsCompleted;
        await inbox.ReadAsync(CancellationToken.None);
        await third.WaitAsync(Patience);
        inbox.Complete(JsonRpc.Result(1, new JsonObject()));

        Assert.True(waitedWhileFull, "a full inbox must hold the writer back");
        Assert.Equal(["L2", "L3", "R"], await DrainAsync(inbox));
    }

    [Fact]
    public async Task Complete_InboxFull_TheResponseStillFits()
    {
        var inbox = new CallInbox(1);
        await inbox.WriteAsync(Log(1), isProgress: false, CancellationToken.None);

        inbox.Complete(JsonRpc.Result(1, new JsonObject()));
        inbox.Complete(JsonRpc.Result(1, new JsonObject { ["second"] = true })); // a faulty upstream's duplicate finds no room

        Assert.Equal(["L1", "R"], await DrainAsync(inbox));
    }

    [Fact]
    public async Task Close_WhileAWriterWaits_ReleasesItAndDropsWhatArrivesLater()
    {
        var inbox = new CallInbox(1);
        await inbox.WriteAsync(Log(1), isProgress: false, CancellationToken.None);
        var waiting = inbox.WriteAsync(Log(2), isProgress: false, CancellationToken.None).AsTask();

        inbox.Close();
        await waiting.WaitAsync(Patience);
        await inbox.WriteAsync(Log(3), isProgress: false, CancellationToken.None).AsTask().WaitAsync(Patience);
    }

    [Fact]
    public async Task Fail_WithMessagesQueued_TheyAreReadFirstThenTheFailure()
    {
        var inbox = new CallInbox(4);
        await inbox.WriteAsync(Log(1), isProgress: false, CancellationToken.None);

        inbox.Fail(new InvalidOperationException("gone"));

        Assert.Equal("L1", Describe(await inbox.ReadAsync(CancellationToken.None)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => inbox.ReadAsync(CancellationToken.None).AsTask());
    }

    /// <summary>
    /// Every sequence of up to 8 notifications (progress or log) against every capacity from 1 to 3, with a
    /// reader that takes one message whenever a write waits: the inbox never holds more than its capacity, logs are
    /// all delivered in order, progress only ever moves forward, the last progress written is delivered, and
    /// nothing is replaced while there is room.
    /// </summary>
    [Fact]
    public async Task Write_EveryMixOfProgressAndLogs_BoundedOrderedAndTheLastProgressArrives()
    {
        for (var capacity = 1; capacity <= 3; capacity++)
        {
            for (var length = 1; length <= 8; length++)
            {
                for (var mask = 0; mask < 1 << length; mask++)
                {
                    await CheckAsync(capacity, length, mask);
                }
            }
        }
    }

    private static async Task CheckAsync(int capacity, int length, int mask)
    {
        var inbox = new CallInbox(capacity);
        var read = new List<string>();
        var lastProgress = 0;
        var logs = new List<string>();
        for (var i = 1; i <= length; i++)
        {
            var isProgress = (mask & (1 << (i - 1))) != 0;
            var write = inbox.WriteAsync(isProgress ? Progress(i) : Log(i), isProgress, CancellationToken.None);
            if (!write.IsCompleted)
            {
                Assert.Equal(capacity, inbox.Count);
                read.Add(Describe(await inbox.ReadAsync(CancellationToken.None)));
                await write.AsTask().WaitAsync(Patience);
            }

            Assert.InRange(inbox.Count, 1, capacity);

            if (isProgress)
            {
                lastProgress = i;
            }
            else
            {
                logs.Add($"L{i}");
            }
        }

        inbox.Complete(JsonRpc.Result(1, new JsonObject()));
        read.AddRange(await DrainAsync(inbox));
        var context = $"capacity {capacity}, mask {Convert.ToString(mask, 2).PadLeft(length, '0')}: {string.Join(",", read)}";

        Assert.True(read.Count <= length + 1, context);
        Assert.Equal(length + 1 - inbox.Coalesced, read.Count);
        if (length <= capacity)
        {
            Assert.Equal(0, inbox.Coalesced);
        }

        Assert.Equal("R", read[^1]);
        Assert.Equal(logs, read.Where(r => r[0] == 'L').ToList());
        var progress = read.Where(r => r[0] == 'P').Select(r => int.Parse(r[1..])).ToList();
        Assert.True(progress.SequenceEqual(progress.Order()), context);
        if (lastProgress > 0)
        {
            Assert.Equal(lastProgress, progress[^1]);
        }
    }

    public static TheoryData<int> Seeds => [.. Enumerable.Range(0, 300)];

    /// <summary>
    /// Random writes and reads against a plain queue as the model: the ring starts small and grows while messages wait,
    /// often with its head wrapped, and must keep every message in order, coalesce exactly when full, and always fit the response.
    /// </summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task WritesAndReads_InAnyInterleaving_MatchAQueue_AsTheRingGrows(int seed)
    {
        var random = new Random(seed);
        var capacity = random.Next(1, 40);
        var inbox = new CallInbox(capacity);
        var model = new List<string>();
        var tailIsProgress = false;
        var coalesced = 0;

        for (var step = 0; step < 400; step++)
        {
            switch (random.Next(3))
            {
                case 0 when model.Count < capacity:
                    await inbox.WriteAsync(Log(step), isProgress: false, CancellationToken.None);
                    model.Add($"L{step}");
                    tailIsProgress = false;
                    break;
                case 1 when model.Count < capacity || tailIsProgress:
                    await inbox.WriteAsync(Progress(step), isProgress: true, CancellationToken.None);
                    if (model.Count < capacity)
                    {
                        model.Add($"P{step}");
                    }
                    else
                    {
                        model[^1] = $"P{step}";
                        coalesced++;
                    }
                    tailIsProgress = true;
                    break;
                case 2 when model.Count > 0:
                    var message = await inbox.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Patience);
                    Assert.Equal(model[0], Describe(message));
                    model.RemoveAt(0);
                    tailIsProgress &= model.Count > 0;
                    break;
            }
            Assert.Equal(model.Count, inbox.Count);
        }

        inbox.Complete(JsonRpc.Result(1, new JsonObject()));
        Assert.Equal([.. model, "R"], await DrainAsync(inbox));
        Assert.Equal(coalesced, inbox.Coalesced);
    }
}
