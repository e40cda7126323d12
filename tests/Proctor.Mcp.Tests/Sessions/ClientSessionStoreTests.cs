using System.Text.Json.Nodes;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Sessions;

namespace Proctor.Mcp.Tests.Sessions;

public sealed class ClientSessionStoreTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);

    private static ClientSession Open(ClientSessionStore store, string owner = "alice") =>
        store.Open(Route.Aggregate, owner, owner, "2025-11-25", new JsonObject(), null).Session ?? throw new InvalidOperationException("the store refused the session");

    private static SessionOpening TryOpen(ClientSessionStore store, string owner) =>
        store.Open(Route.Aggregate, owner, owner, "2025-11-25", new JsonObject(), null);

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

        var refused = TryOpen(store, "alice");
        store.Remove(first.Id);
        var admitted = TryOpen(store, "alice");

        Assert.Null(refused.Session);
        Assert.Equal(SessionLimit.Total, refused.Refused);
        Assert.NotNull(admitted.Session);
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public void Open_AtCapacityWithAnIdleSession_SweepsItAndAdmits()
    {
        var time = new ManualTimeProvider();
        var store = new ClientSessionStore(time, Idle, capacity: 1);
        var closed = new List<ClientSession>();
        store.Closed += (session, _) => closed.Add(session);
        var idle = Open(store);

        time.Advance(Idle + TimeSpan.FromSeconds(1));
        var admitted = TryOpen(store, "bob");

        Assert.NotNull(admitted.Session);
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
        var closed = new List<(ClientSession, SessionCloseReason)>();
        store.Closed += (closedSession, reason) => closed.Add((closedSession, reason));
        var session = Open(store);
        using var inFlight = new CancellationTokenSource();
        session.InFlight["1"] = inFlight;
        var awaiting = new TaskCompletionSource<JsonObject>();
        session.AwaitingClient["proctor-1"] = awaiting;

        time.Advance(Idle + TimeSpan.FromSeconds(1));

        Assert.Null(store.Find(session.Id));
        Assert.Equal([(session, SessionCloseReason.Expired)], closed);
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
        store.Closed += (_, _) => closed++;
        var session = Open(store);

        Assert.True(store.Remove(session.Id));
        Assert.False(store.Remove(session.Id));
        Assert.Equal(1, closed);
        Assert.Null(store.Find(session.Id));
    }

    [Fact]
    public void Open_IdentityAtItsLimit_IsRefusedWhileEveryOtherIdentityStillOpens()
    {
        var store = new ClientSessionStore(new ManualTimeProvider(), Idle, capacity: 100, capacityPerIdentity: 3);
        for (var i = 0; i < 3; i++)
        {
            Open(store, "greedy");
        }

        var refused = TryOpen(store, "greedy");

        Assert.Null(refused.Session);
        Assert.Equal(SessionLimit.PerIdentity, refused.Refused);
        foreach (var other in new[] { "alice", "bob", "anonymous@127.0.0.2", "https://login.example.com|greedy" })
        {
            Assert.NotNull(TryOpen(store, other).Session);
        }
    }

    [Fact]
    public void Open_IdentityAtItsLimit_RetryAfterIsWhenItsLeastRecentlyUsedSessionExpires()
    {
        var time = new ManualTimeProvider();
        var store = new ClientSessionStore(time, Idle, capacityPerIdentity: 2);
        var older = Open(store, "greedy");
        time.Advance(TimeSpan.FromMinutes(10));
        Open(store, "greedy");
        time.Advance(TimeSpan.FromMinutes(5));

        var refused = TryOpen(store, "greedy");

        Assert.Equal(Idle - TimeSpan.FromMinutes(15), refused.RetryAfter);
        Assert.Same(older, store.Find(older.Id)); // using a session keeps it: the other one, 5 min idle, now expires first
        Assert.Equal(Idle - TimeSpan.FromMinutes(5), TryOpen(store, "greedy").RetryAfter);
    }

    [Theory]
    [InlineData(SessionCloseReason.Deleted)]
    [InlineData(SessionCloseReason.Expired)]
    public void Open_IdentityAtItsLimit_AdmitsAgainOnceOneOfItsSessionsEnds(SessionCloseReason ending)
    {
        var time = new ManualTimeProvider();
        var store = new ClientSessionStore(time, Idle, capacityPerIdentity: 1);
        var first = Open(store, "greedy");
        Assert.Null(TryOpen(store, "greedy").Session);

        if (ending == SessionCloseReason.Deleted)
        {
            store.Remove(first.Id);
        }
        else
        {
            time.Advance(Idle + TimeSpan.FromSeconds(1));
        }

        Assert.NotNull(TryOpen(store, "greedy").Session);
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task Open_ConcurrentInitializesOfOneIdentity_NeverExceedItsLimit()
    {
        var store = new ClientSessionStore(new ManualTimeProvider(), Idle, capacityPerIdentity: 10);

        var opened = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => TryOpen(store, "greedy").Session is not null)));

        Assert.Equal(10, opened.Count(admitted => admitted));
        Assert.Equal(10, store.Count);
    }

    [Fact]
    public void CloseAll_OpenSessions_ClosesEachOnceAsShutdown()
    {
        var store = new ClientSessionStore(new ManualTimeProvider(), Idle);
        var closed = new List<(string, SessionCloseReason)>();
        store.Closed += (session, reason) => closed.Add((session.Id, reason));
        var sessions = new[] { Open(store, "alice"), Open(store, "bob"), Open(store, "bob") };

        var count = store.CloseAll(SessionCloseReason.Shutdown);

        Assert.Equal(3, count);
        Assert.Equal(sessions.Select(s => (s.Id, SessionCloseReason.Shutdown)).Order(), closed.Order());
        Assert.Equal(0, store.Count);
        Assert.NotNull(TryOpen(store, "bob").Session);
    }
}
