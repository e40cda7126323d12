using System.Text.Json.Nodes;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Sessions;

namespace Proctor.Mcp.Tests.Sessions;

public sealed class ClientSessionStoreTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);

    private static ClientSession Open(ClientSessionStore store, string owner = "alice") =>
        store.Open(Route.Aggregate, owner, "2025-11-25", new JsonObject(), null) ?? throw new InvalidOperationException("the store refused the session");

    [Fact]
    public void Open_NewSession_Has128RandomBitsAsLowerHexAndIsFound()
    {
        var store = new ClientSessionStore(new ManualTimeProvider(), Idle);

        var a = Open(store);
        var b = Open(store);

        Assert.Matches("^[0-9a-f]{32}$", a.Id);
        Assert.NotEqual(a.Id, b.Id);
        Assert.Same(a, store.Find(a.Id));
        Assert.Equal("alice", a.Owner);
    }

    [Fact]
    public void Open_AtCapacity_IsRefusedUntilASessionCloses()
    {
        var store = new ClientSessionStore(new ManualTimeProvider(), Idle, capacity: 2);
        var first = Open(store);
        Open(store);

        var refused = store.Open(Route.Aggregate, "alice", "2025-11-25", new JsonObject(), null);
        store.Remove(first.Id);
        var admitted = store.Open(Route.Aggregate, "alice", "2025-11-25", new JsonObject(), null);

        Assert.Null(refused);
        Assert.NotNull(admitted);
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public void Open_AtCapacityWithAnIdleSession_SweepsItAndAdmits()
    {
        var time = new ManualTimeProvider();
        var store = new ClientSessionStore(time, Idle, capacity: 1);
        var closed = new List<ClientSession>();
        store.Closed += closed.Add;
        var idle = Open(store);

        time.Advance(Idle + TimeSpan.FromSeconds(1));
        var admitted = store.Open(Route.Aggregate, "bob", "2025-11-25", new JsonObject(), null);

        Assert.NotNull(admitted);
        Assert.Equal([idle], closed);
        Assert.Null(store.Find(idle.Id));
    }

    [Fact]
    public void Find_UnknownId_IsNull()
    {
        var store = new ClientSessionStore(new ManualTimeProvider(), Idle);
        Open(store);

        Assert.Null(store.Find("00000000000000000000000000000000"));
    }

    [Fact]
    public void Find_UsedWithinTheIdleTimeout_StaysAlive()
    {
        var time = new ManualTimeProvider();
        var store = new ClientSessionStore(time, Idle);
        var session = Open(store);

        time.Advance(TimeSpan.FromMinutes(20));
        Assert.Same(session, store.Find(session.Id));
        time.Advance(TimeSpan.FromMinutes(20));

        Assert.Same(session, store.Find(session.Id));
        Assert.Equal(time.GetUtcNow(), session.LastSeen);
    }

    [Fact]
    public void Find_AfterIdleTimeout_IsNullAndTheSessionIsClosed()
    {
        var time = new ManualTimeProvider();
        var store = new ClientSessionStore(time, Idle);
        var closed = new List<ClientSession>();
        store.Closed += closed.Add;
        var session = Open(store);
        using var inFlight = new CancellationTokenSource();
        session.InFlight["1"] = inFlight;
        var awaiting = new TaskCompletionSource<JsonObject>();
        session.AwaitingClient["proctor-1"] = awaiting;

        time.Advance(Idle + TimeSpan.FromSeconds(1));

        Assert.Null(store.Find(session.Id));
        Assert.Equal([session], closed);
        Assert.True(inFlight.IsCancellationRequested);
        Assert.True(awaiting.Task.IsCanceled);
        Assert.True(session.Outbound.Reader.Completion.IsCompleted);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Remove_Twice_ClosesOnce()
    {
        var store = new ClientSessionStore(new ManualTimeProvider(), Idle);
        var closed = 0;
        store.Closed += _ => closed++;
        var session = Open(store);

        Assert.True(store.Remove(session.Id));
        Assert.False(store.Remove(session.Id));
        Assert.Equal(1, closed);
        Assert.Null(store.Find(session.Id));
    }
}
