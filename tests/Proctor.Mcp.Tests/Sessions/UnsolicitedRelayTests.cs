using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Proctor.Mcp.Tests.Pipeline;
using Proctor.Mcp.Tests.Upstreams;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Tests.Sessions;

public sealed class UnsolicitedRelayTests
{
    private readonly ClientSessionStore _sessions = new(new ManualTimeProvider(), TimeSpan.FromMinutes(30));
    private readonly ScriptedUpstream _bank = ScriptedUpstream.Answering("bank");
    private readonly ScriptedUpstream _crm = ScriptedUpstream.Answering("crm");
    private readonly UnsolicitedRelay _relay;

    public UnsolicitedRelayTests()
    {
        _relay = new UnsolicitedRelay(_sessions, new WordMasker(), NullLogger<UnsolicitedRelay>.Instance);
        _relay.Attach(new UpstreamRegistry(new Upstream[] { _bank, _crm }, new Dictionary<string, TimeSpan> { ["bank"] = TimeSpan.FromSeconds(30), ["crm"] = TimeSpan.FromSeconds(30) }));
    }

    private ClientSession Session(Route route, bool initialized = true)
    {
        var session = _sessions.Open(route, "alice", "alice", "2025-11-25", new JsonObject(), null).Session!;
        session.Initialized = initialized;
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

    private static JsonObject ListChanged(string method = McpMethods.ToolsListChanged) => JsonRpc.Notification(method, null);

    private static JsonObject Updated(string uri) => JsonRpc.Notification(McpMethods.ResourceUpdated, new JsonObject { ["uri"] = uri });

    [Fact]
    public void ListChanged_GoesToSessionsOnTheUpstreamsRoutesOnly()
    {
        var aggregate = Session(Route.Aggregate);
        var onBank = Session(new Route("bank"));
        var onCrm = Session(new Route("crm"));

        _bank.Raise(ListChanged());

        Assert.Equal([McpMethods.ToolsListChanged], Received(aggregate).Select(JsonRpc.Method));
        Assert.Equal([McpMethods.ToolsListChanged], Received(onBank).Select(JsonRpc.Method));
        Assert.Empty(Received(onCrm));
    }

    [Fact]
    public void LogMessage_ReachesSessionsMasked_AndIsWithheldWhenMaskingFails()
    {
        var session = Session(Route.Aggregate);

        _bank.Raise(JsonRpc.Notification("notifications/message", new JsonObject { ["level"] = "info", ["data"] = $"exported {WordMasker.Ssn}" }));
        _bank.Raise(JsonRpc.Notification("notifications/message", new JsonObject { ["level"] = "info", ["data"] = $"{WordMasker.Poison} {WordMasker.Ssn}" }));

        var delivered = Assert.Single(Received(session));
        Assert.Equal("exported [SSN]", (string?)delivered["params"]!["data"]);
    }

    [Fact]
    public void ListChanged_SessionNotInitialized_GetsNothing()
    {
        var pending = Session(Route.Aggregate, initialized: false);

        _bank.Raise(ListChanged());

        Assert.Empty(Received(pending));
    }

    [Fact]
    public void ResourceUpdated_GoesOnlyToSessionsSubscribedToThatUriOnThatUpstream()
    {
        var subscribed = Session(Route.Aggregate);
        subscribed.Subscriptions["bank://customers/1"] = "bank";
        var otherUri = Session(Route.Aggregate);
        otherUri.Subscriptions["bank://customers/2"] = "bank";
        var otherUpstream = Session(Route.Aggregate);
        otherUpstream.Subscriptions["bank://customers/1"] = "crm";
        var notSubscribed = Session(new Route("bank"));

        _bank.Raise(Updated("bank://customers/1"));

        Assert.Equal("bank://customers/1", (string?)Assert.Single(Received(subscribed))["params"]!["uri"]);
        Assert.Empty(Received(otherUri));
        Assert.Empty(Received(otherUpstream));
        Assert.Empty(Received(notSubscribed));
    }

    [Fact]
    public void Deliver_EachSession_GetsItsOwnCopy()
    {
        var a = Session(Route.Aggregate);
        var b = Session(Route.Aggregate);
        var notification = JsonRpc.Notification(McpMethods.Message, new JsonObject { ["level"] = "info", ["data"] = "hello" });

        _bank.Raise(notification);

        var forA = Assert.Single(Received(a));
        var forB = Assert.Single(Received(b));
        Assert.NotSame(forA, forB);
        Assert.NotSame(notification, forA);
        Json.Equal(notification, forA);
    }

    [Fact]
    public void Listen_StreamGetsTheListChangesItAskedForOnItsRoute()
    {
        var tools = new ListenStream(Route.Aggregate, tools: true, prompts: false, resources: false);
        var prompts = new ListenStream(Route.Aggregate, tools: false, prompts: true, resources: false);
        var crmOnly = new ListenStream(new Route("crm"), tools: true, prompts: true, resources: true);
        using var r1 = _relay.Listen(tools);
        using var r2 = _relay.Listen(prompts);
        using var r3 = _relay.Listen(crmOnly);

        _bank.Raise(ListChanged(McpMethods.ToolsListChanged));
        _bank.Raise(ListChanged(McpMethods.PromptsListChanged));
        _bank.Raise(JsonRpc.Notification(McpMethods.Message, new JsonObject { ["level"] = "info" }));

        Assert.Equal([McpMethods.ToolsListChanged], Drain(tools.Outbound.Reader).Select(JsonRpc.Method));
        Assert.Equal([McpMethods.PromptsListChanged], Drain(prompts.Outbound.Reader).Select(JsonRpc.Method));
        Assert.Empty(Drain(crmOnly.Outbound.Reader));
    }

    [Fact]
    public void Listen_ResourceUpdated_OnlyForTheStreamsSubscriptions()
    {
        var subscribed = new ListenStream(Route.Aggregate, false, false, false);
        subscribed.Subscriptions["bank://customers/1"] = "bank";
        var other = new ListenStream(Route.Aggregate, true, true, true);
        using var r1 = _relay.Listen(subscribed);
        using var r2 = _relay.Listen(other);

        _bank.Raise(Updated("bank://customers/1"));

        Assert.Single(Drain(subscribed.Outbound.Reader));
        Assert.Empty(Drain(other.Outbound.Reader));
    }

    [Fact]
    public void ResourceUpdated_UriWithASensitiveValue_ReachesItsSubscriberWithTheUriMasked()
    {
        var subscribed = Session(Route.Aggregate);
        subscribed.Subscriptions[$"bank://customers/{WordMasker.Ssn}"] = "bank";

        _bank.Raise(Updated($"bank://customers/{WordMasker.Ssn}"));

        Assert.Equal("bank://customers/[SSN]", (string?)Assert.Single(Received(subscribed))["params"]!["uri"]);
    }

    [Fact]
    public void Listen_AfterTheRegistrationIsDisposed_GetsNothing()
    {
        var stream = new ListenStream(Route.Aggregate, true, true, true);
        _relay.Listen(stream).Dispose();

        _bank.Raise(ListChanged());

        Assert.Empty(Drain(stream.Outbound.Reader));
    }
}
