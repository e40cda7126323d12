using System.Net;
using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Identity;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Relay;

/// <summary>The OpenID provider the isolation tests share; each test has its own gateway and upstream.</summary>
public sealed class IsolationProvider : IAsyncLifetime
{
    internal OidcProvider Provider { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Peers.RequireInstalled();
        Provider = await OidcProvider.StartAsync();
    }

    public async Task DisposeAsync() => await Provider.DisposeAsync();
}

/// <summary>
/// One caller's data never reaches another caller (decision 0012). Two identities share one upstream (a real
/// TypeScript SDK server, over stdio or Streamable HTTP); each holds a session and its GET stream. A log the
/// upstream emits while serving Alice's call reaches Alice alone and is recorded once; with calls of both in
/// flight and nothing saying whose it is, nobody gets it; messages outside any call reach only the sessions
/// entitled to them, each recorded once before delivery.
/// </summary>
public sealed class NotificationIsolationTests(IsolationProvider identities) : IClassFixture<IsolationProvider>, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("proctor-isolation-").FullName;
    private readonly List<IAsyncDisposable> _owned = [];
    private GatewayUnderTest _gateway = null!;
    private string _resource = "";

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task<NotificationProbe> StartAsync(string transport)
    {
        var probe = transport == "stdio" ? NotificationProbe.Stdio("probe", _folder) : await NotificationProbe.HttpAsync("probe", _folder);
        _owned.Add(probe);
        var other = NotificationProbe.Stdio("other", _folder);
        (_gateway, _resource) = await IdentityGateway.StartGatewayTrustingAsync(identities.Provider, probe.Yaml + "\n" + other.Yaml);
        return probe;
    }

    [Theory]
    [InlineData("stdio", "whisper")]           // stdio says nothing about which call a message belongs to
    [InlineData("http", "whisper_unrelated")]  // sent on the upstream's GET stream, not tied to the call
    [InlineData("http", "whisper")]            // tied to the call by the POST's stream: exact
    public async Task LogEmittedDuringOneCallersCall_ReachesThatCallerAlone_RecordedOnce(string transport, string tool)
    {
        await StartAsync(transport);
        var alice = await SessionAsync("analyst", "probe", logLevel: "debug");
        var bob = await SessionAsync("supervisor", "probe", logLevel: "debug");
        var secret = $"alice-only-{Guid.NewGuid():N}";

        var answer = await alice.CallAsync(tool, secret);

        Assert.Single(answer, m => m.ToJsonString().Contains($"whisper {secret}", StringComparison.Ordinal)); // on Alice's own response stream
        Assert.NotNull(answer[^1]["result"]);
        await BroadcastAndSettleAsync(alice, alice, bob);
        Assert.False(bob.Stream.Saw(secret), "Bob's stream carried Alice's log");
        Assert.False(alice.Stream.Saw(secret), "Alice's log went to her session stream instead of her call");
        var recorded = Assert.Single(await EventsContainingAsync($"whisper {secret}"));
        Assert.Equal("call.notification", (string?)recorded["kind"]);
        Assert.Equal("alice", (string?)recorded["actor"]!["subject"]);
    }

    [Fact]
    public async Task LogWithNoRelation_WhileCallsOfTwoCallersRun_ReachesNobodyAndIsNotStored()
    {
        var probe = await StartAsync("stdio");
        var alice = await SessionAsync("analyst", "probe", logLevel: "debug");
        var bob = await SessionAsync("supervisor", "probe", logLevel: "debug");
        var secret = $"whose-{Guid.NewGuid():N}";

        var held = bob.CallAsync("hold", "");
        await Eventually.TrueAsync(() => probe.Received().Any(m => (string?)m["params"]?["name"] == "hold"), TimeSpan.FromSeconds(15));
        var whispered = await alice.CallAsync("whisper", secret);
        await alice.CallAsync("release", "");
        var bobsAnswer = await held;

        await BroadcastAndSettleAsync(alice, alice, bob);
        Assert.DoesNotContain(whispered.Concat(bobsAnswer).Concat(alice.Stream.Received).Concat(bob.Stream.Received),
            m => m.ToJsonString().Contains(secret, StringComparison.Ordinal) && (string?)m["method"] == "notifications/message");
        Assert.Empty(await EventsContainingAsync($"whisper {secret}"));
    }

    [Fact]
    public async Task NotificationsOutsideAnyCall_ReachOnlyTheSessionsEntitledToThem_EachRecordedOnceBeforeDelivery()
    {
        await StartAsync("stdio");
        var logs = await SessionAsync("analyst", "probe", logLevel: "info");
        var subscriber = await SessionAsync("supervisor", "probe");
        var elsewhere = await SessionAsync("auditor", "other", logLevel: "debug");
        var (subscribed, _) = await RawMcp.PostAsync(_gateway.Mcp("probe"), """{"jsonrpc":"2.0","id":"s1","method":"resources/subscribe","params":{"uri":"probe://item"}}""", subscriber.Headers);
        Assert.Equal(HttpStatusCode.OK, subscribed.StatusCode);

        await BroadcastAndSettleAsync(logs, logs); // the upstream emits a log, tools/list_changed, then resources/updated
        await Eventually.TrueAsync(() => subscriber.Stream.Saw("notifications/resources/updated"), TimeSpan.FromSeconds(15)); // the last one emitted
        await Eventually.TrueAsync(() => logs.Stream.Saw("notifications/tools/list_changed"), TimeSpan.FromSeconds(15));

        Assert.Equal(["notifications/message", "notifications/tools/list_changed"], logs.Stream.Received.Select(m => (string?)m["method"]));
        Assert.Equal(["notifications/tools/list_changed", "notifications/resources/updated"], subscriber.Stream.Received.Select(m => (string?)m["method"]));
        Assert.Empty(elsewhere.Stream.Received);
        var recorded = await LedgerEvents.ReadAsync(_gateway.DatabasePath, "upstream.notification");
        Assert.Equal(
            [
                ("notifications/message", "delivered to 1 stream(s) entitled by logging"),
                ("notifications/tools/list_changed", "delivered to 2 stream(s) entitled by route"),
                ("notifications/resources/updated", "delivered to 1 stream(s) entitled by subscribers"),
            ],
            recorded.Select(e => (LedgerEvents.Method(e), (string?)e["outcome"]!["summary"])));
        Assert.All(recorded, e => Assert.Equal("probe", LedgerEvents.Server(e)));
    }

    /// <summary>
    /// <paramref name="by"/> sends roots/list_changed, which makes the upstream emit a log ("broadcast …") outside any
    /// call; waits until every one of <paramref name="listeners"/> (all asked for logs) has it. The upstream and the
    /// relay keep order, so whatever the upstream sent before has been delivered or withheld by then.
    /// </summary>
    private static async Task BroadcastAndSettleAsync(Session by, params Session[] listeners)
    {
        var (accepted, _) = await RawMcp.PostAsync(by.Endpoint, """{"jsonrpc":"2.0","method":"notifications/roots/list_changed"}""", by.Headers);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        foreach (var listener in listeners)
        {
            await Eventually.TrueAsync(() => listener.Stream.Saw("broadcast "), TimeSpan.FromSeconds(15));
        }
    }

    private async Task<List<JsonObject>> EventsContainingAsync(string text) =>
        (await LedgerEvents.ReadAsync(_gateway.DatabasePath)).Where(e => e.ToJsonString().Contains(text, StringComparison.Ordinal)).ToList();

    private async Task<Session> SessionAsync(string client, string server, string? logLevel = null)
    {
        var endpoint = _gateway.Mcp(server);
        var headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {await identities.Provider.TokenAsync(client, _resource)}" };
        headers["Mcp-Session-Id"] = await RawMcp.InitializeAsync(endpoint, headers);
        headers["MCP-Protocol-Version"] = "2025-11-25";
        Assert.Equal(HttpStatusCode.Accepted, (await RawMcp.PostAsync(endpoint, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", headers)).Response.StatusCode);
        if (logLevel is not null)
        {
            var (set, _) = await RawMcp.PostAsync(endpoint, $$$"""{"jsonrpc":"2.0","id":"level","method":"logging/setLevel","params":{"level":"{{{logLevel}}}"}}""", headers);
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        var session = new Session(endpoint, headers, await SessionEvents.OpenAsync(endpoint, headers));
        _owned.Add(session.Stream);
        return session;
    }

    private sealed record Session(Uri Endpoint, Dictionary<string, string> Headers, SessionEvents Stream)
    {
        /// <summary>Calls a probe tool and returns every message of the answer's stream, in order.</summary>
        public Task<List<JsonObject>> CallAsync(string tool, string secret)
        {
            var arguments = tool.StartsWith("whisper", StringComparison.Ordinal) ? new JsonObject { ["secret"] = secret } : new JsonObject();
            var request = new JsonObject
            {
                ["jsonrpc"] = "2.0",
                ["id"] = $"{tool}-{Guid.NewGuid():N}",
                ["method"] = "tools/call",
                ["params"] = new JsonObject { ["name"] = tool, ["arguments"] = arguments },
            };
            return RawMcp.PostForEventsAsync(Endpoint, request.ToJsonString(), Headers);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned.Where(o => o is SessionEvents))
        {
            await owned.DisposeAsync();
        }

        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        foreach (var owned in _owned.Where(o => o is not SessionEvents))
        {
            await owned.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }
}
