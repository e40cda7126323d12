using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Sessions;
using Proctor.Mcp.Tests.Pipeline;
using Proctor.Mcp.Tests.Upstreams;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Tests.Sessions;

public sealed class UnsolicitedRelayTests : IAsyncDisposable
{
    private readonly ClientSessionStore _sessions = new(new ManualTimeProvider(), TimeSpan.FromMinutes(30));
    private readonly ScriptedUpstream _bank = ScriptedUpstream.Answering("bank");
    private readonly ScriptedUpstream _crm = ScriptedUpstream.Answering("crm");
    private readonly RecordingMessageRecorder _recorder = new();
    private readonly UnsolicitedRelay _relay;

    public UnsolicitedRelayTests()
    {
        _relay = new UnsolicitedRelay(_sessions, new WordMasker(), _recorder, NullLogger<UnsolicitedRelay>.Instance);
    }

    private ClientSession Session(Route route, bool initialized = true, string? logLevel = null)
    {
        var session = _sessions.Open(route, "alice", "alice", "2025-11-25", new JsonObject(), null).Session!;
        session.Initialized = initialized;
        session.LogLevel = logLevel;
        return session;
    }

    private static List<JsonObject> Received(ClientSession session) => Drain(session.Outbound.Reader);

    private static List<JsonObject> Drain(System.Threading.Channels.ChannelReader<JsonObject> reader)
    {
        var received = new List<JsonObject>();
        while (reader.TryRead(out var message))
        {
            received.Add(message);
        }

        return received;
    }

    private Task Deliver(ScriptedUpstream upstream, JsonObject notification) => _relay.DeliverAsync(upstream, notification);

    private static JsonObject ListChanged(string method = McpMethods.ToolsListChanged) => JsonRpc.Notification(method, null);

    private static JsonObject Updated(string uri) => JsonRpc.Notification(McpMethods.ResourceUpdated, new JsonObject { ["uri"] = uri });

    private static JsonObject Log(string level, string data) => JsonRpc.Notification(McpMethods.Message, new JsonObject { ["level"] = level, ["data"] = data });

    [Fact]
    public async Task ListChanged_GoesToSessionsOnTheUpstreamsRoutesOnly()
    {
        var aggregate = Session(Route.Aggregate);
        var onBank = Session(new Route("bank"));
        var onCrm = Session(new Route("crm"));

        await Deliver(_bank, ListChanged());

        Assert.Equal([McpMethods.ToolsListChanged], Received(aggregate).Select(JsonRpc.Method));
        Assert.Equal([McpMethods.ToolsListChanged], Received(onBank).Select(JsonRpc.Method));
        Assert.Empty(Received(onCrm));
    }

    [Fact]
    public async Task LogMessage_OnlySessionsThatAskedForLogs_FromTheirLevelUp()
    {
        var never = Session(Route.Aggregate);
        var debug = Session(new Route("bank"), logLevel: "debug");
        var warning = Session(Route.Aggregate, logLevel: "warning");
        var otherRoute = Session(new Route("crm"), logLevel: "debug");

        await Deliver(_bank, Log("info", "one"));
        await Deliver(_bank, Log("error", "two"));
        await Deliver(_bank, Log("no-such-level", "three"));

        Assert.Empty(Received(never));
        Assert.Equal(["one", "two"], Received(debug).Select(m => (string?)m["params"]!["data"]));
        Assert.Equal(["two"], Received(warning).Select(m => (string?)m["params"]!["data"]));
        Assert.Empty(Received(otherRoute));
    }

    [Fact]
    public async Task LogMessage_ReachesSessionsMasked_AndIsWithheldWhenMaskingFails()
    {
        var session = Session(Route.Aggregate, logLevel: "info");

        await Deliver(_bank, Log("info", $"exported {WordMasker.Ssn}"));
        await Deliver(_bank, Log("info", $"{WordMasker.Poison} {WordMasker.Ssn}"));

        var delivered = Assert.Single(Received(session));
        Assert.Equal("exported [SSN]", (string?)delivered["params"]!["data"]);
        Assert.Equal("exported [SSN]", (string?)Assert.Single(_recorder.UpstreamNotifications).Notification.Message["params"]!["data"]);
    }

    [Fact]
    public async Task Deliver_SeveralRecipients_RecordedOnceBeforeAnyIsDelivered()
    {
        var a = Session(Route.Aggregate);
        var b = Session(new Route("bank"));
        _recorder.Before = _ =>
        {
            Assert.Equal(0, a.Outbound.Reader.Count);
            Assert.Equal(0, b.Outbound.Reader.Count);
        };

        await Deliver(_bank, ListChanged());

        var record = Assert.Single(_recorder.UpstreamNotifications);
        Assert.Equal("bank", record.Upstream);
        Assert.Equal(2, record.Recipients);
        Assert.Equal("route", record.Audience);
        Assert.Single(Received(a));
        Assert.Single(Received(b));
    }

    [Fact]
    public async Task Deliver_TheLedgerCannotCommit_Withheld()
    {
        var session = Session(Route.Aggregate);
        _recorder.Before = _ => throw new RecordingFailedException("locked");

        await Deliver(_bank, ListChanged());

        Assert.Empty(Received(session));
    }

    [Fact]
    public async Task Deliver_NobodyEntitled_NothingRecorded()
    {
        Session(Route.Aggregate); // asked for no logs
        Session(new Route("crm"), logLevel: "debug");

        await Deliver(_bank, Log("error", "boom"));

        Assert.Empty(_recorder.UpstreamNotifications);
    }

    [Theory]
    [InlineData("notifications/elicitation/complete")]
    [InlineData("notifications/tasks/status")]
    [InlineData("notifications/x-vendor/anything")]
    [InlineData("notifications/progress")]
    public async Task OtherNotifications_OutsideAnyCall_GoToNobody(string method)
    {
        var session = Session(Route.Aggregate, logLevel: "debug");
        using var listening = _relay.Listen(new ListenStream(Route.Aggregate, true, true, true));

        await Deliver(_bank, JsonRpc.Notification(method, new JsonObject { ["data"] = "x" }));

        Assert.Empty(Received(session));
        Assert.Empty(_recorder.UpstreamNotifications);
    }

    [Fact]
    public async Task ListChanged_SessionNotInitialized_GetsNothing()
    {
        var pending = Session(Route.Aggregate, initialized: false);

        await Deliver(_bank, ListChanged());

        Assert.Empty(Received(pending));
    }

    [Fact]
    public async Task ResourceUpdated_GoesOnlyToSessionsSubscribedToThatUriOnThatUpstream()
    {
        var subscribed = Session(Route.Aggregate);
        subscribed.Subscriptions["bank://customers/1"] = "bank";
        var otherUri = Session(Route.Aggregate);
        otherUri.Subscriptions["bank://customers/2"] = "bank";
        var otherUpstream = Session(Route.Aggregate);
        otherUpstream.Subscriptions["bank://customers/1"] = "crm";
        var notSubscribed = Session(new Route("bank"));

        await Deliver(_bank, Updated("bank://customers/1"));

        Assert.Equal("bank://customers/1", (string?)Assert.Single(Received(subscribed))["params"]!["uri"]);
        Assert.Empty(Received(otherUri));
        Assert.Empty(Received(otherUpstream));
        Assert.Empty(Received(notSubscribed));
        Assert.Equal("subscribers", Assert.Single(_recorder.UpstreamNotifications).Audience);
    }

    [Fact]
    public async Task Deliver_EachSession_GetsItsOwnCopy()
    {
        var a = Session(Route.Aggregate, logLevel: "info");
        var b = Session(Route.Aggregate, logLevel: "info");
        var notification = Log("info", "hello");

        await Deliver(_bank, notification);

        var forA = Assert.Single(Received(a));
        var forB = Assert.Single(Received(b));
        Assert.NotSame(forA, forB);
        Assert.NotSame(notification, forA);
        Json.Equal(notification, forA);
    }

    [Fact]
    public async Task Listen_StreamGetsTheListChangesItAskedForOnItsRoute_NeverLogs()
    {
        var tools = new ListenStream(Route.Aggregate, tools: true, prompts: false, resources: false);
        var prompts = new ListenStream(Route.Aggregate, tools: false, prompts: true, resources: false);
        var crmOnly = new ListenStream(new Route("crm"), tools: true, prompts: true, resources: true);
        using var r1 = _relay.Listen(tools);
        using var r2 = _relay.Listen(prompts);
        using var r3 = _relay.Listen(crmOnly);

        await Deliver(_bank, ListChanged(McpMethods.ToolsListChanged));
        await Deliver(_bank, ListChanged(McpMethods.PromptsListChanged));
        await Deliver(_bank, Log("emergency", "x"));

        Assert.Equal([McpMethods.ToolsListChanged], Drain(tools.Outbound.Reader).Select(JsonRpc.Method));
        Assert.Equal([McpMethods.PromptsListChanged], Drain(prompts.Outbound.Reader).Select(JsonRpc.Method));
        Assert.Empty(Drain(crmOnly.Outbound.Reader));
    }

    [Fact]
    public async Task Listen_ResourceUpdated_OnlyForTheStreamsSubscriptions()
    {
        var subscribed = new ListenStream(Route.Aggregate, false, false, false);
        subscribed.Subscriptions["bank://customers/1"] = "bank";
        var other = new ListenStream(Route.Aggregate, true, true, true);
        using var r1 = _relay.Listen(subscribed);
        using var r2 = _relay.Listen(other);

        await Deliver(_bank, Updated("bank://customers/1"));

        Assert.Single(Drain(subscribed.Outbound.Reader));
        Assert.Empty(Drain(other.Outbound.Reader));
    }

    [Fact]
    public async Task ResourceUpdated_UriWithASensitiveValue_ReachesItsSubscriberWithTheUriMasked()
    {
        var subscribed = Session(Route.Aggregate);
        subscribed.Subscriptions[$"bank://customers/{WordMasker.Ssn}"] = "bank";

        await Deliver(_bank, Updated($"bank://customers/{WordMasker.Ssn}"));

        Assert.Equal("bank://customers/[SSN]", (string?)Assert.Single(Received(subscribed))["params"]!["uri"]);
    }

    [Fact]
    public async Task Listen_AfterTheRegistrationIsDisposed_GetsNothing()
    {
        var stream = new ListenStream(Route.Aggregate, true, true, true);
        _relay.Listen(stream).Dispose();

        await Deliver(_bank, ListChanged());

        Assert.Empty(Drain(stream.Outbound.Reader));
    }

    [Fact]
    public async Task Attach_RaisedByAnUpstream_DeliveredInOrderByTheBackgroundLoop_AndDisposeWaitsForIt()
    {
        var session = Session(Route.Aggregate);
        _relay.Attach(new UpstreamRegistry(new Upstream[] { _bank, _crm }, new Dictionary<string, TimeSpan> { ["bank"] = TimeSpan.FromSeconds(30), ["crm"] = TimeSpan.FromSeconds(30) }));

        _bank.Raise(ListChanged(McpMethods.ToolsListChanged));
        _crm.Raise(ListChanged(McpMethods.PromptsListChanged));
        await _relay.DisposeAsync();

        Assert.Equal([McpMethods.ToolsListChanged, McpMethods.PromptsListChanged], Received(session).Select(JsonRpc.Method));
    }

    public ValueTask DisposeAsync() => _relay.DisposeAsync();
}
