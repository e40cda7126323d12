using Microsoft.Extensions.Logging.Abstractions;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Tests.Pipeline;
using Proctor.Mcp.Tests.Routing;
using Proctor.Mcp.Tests.Upstreams;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Tests.Clients;

public sealed class ClientNotificationRelayTests
{
    private readonly ScriptedUpstream _bank = ScriptedUpstream.Answering("bank");
    private readonly ScriptedUpstream _crm = ScriptedUpstream.Answering("crm");
    private readonly RecordingMessageRecorder _recorder = new();
    private readonly ClientNotificationRelay _relay;

    public ClientNotificationRelayTests()
    {
        var registry = new UpstreamRegistry(new Upstream[] { _bank, _crm }, new Dictionary<string, TimeSpan> { ["bank"] = TimeSpan.FromSeconds(30), ["crm"] = TimeSpan.FromSeconds(30) });
        _relay = new ClientNotificationRelay(registry, new WordMasker(), _recorder, NullLogger<ClientNotificationRelay>.Instance);
    }

    private static ClientRequest Notification(string? server, string json) =>
        new(new Route(server), Json.Object(json), Gateways.LegacyAlice, new RecordingClientChannel(), null);

    [Fact]
    public async Task Forward_OnTheAggregateRoute_EachUpstreamsRecordIsCommittedBeforeItIsSentThere()
    {
        _recorder.Before = record =>
        {
            // At the moment of each commit, the upstream it names has not received the notification yet.
            var server = ((ClientNotificationRecord)record).Server;
            Assert.Empty((server == "bank" ? _bank : _crm).Notifications);
        };

        var refused = await _relay.ForwardAsync(Notification(null, "{'jsonrpc':'2.0','method':'notifications/roots/list_changed'}"), CancellationToken.None);

        Assert.Null(refused);
        Assert.Equal(["bank", "crm"], _recorder.ClientNotifications.Select(r => r.Server));
        Assert.Single(_bank.Notifications);
        Assert.Single(_crm.Notifications);
        Assert.All(_recorder.ClientNotifications, r => Assert.Equal("alice", r.Caller.Subject));
    }

    [Fact]
    public async Task Forward_TheLedgerCannotCommit_SentNowhereAndTheClientIsToldWhy()
    {
        _recorder.Before = _ => throw new RecordingFailedException("database is locked");

        var refused = await _relay.ForwardAsync(Notification("bank", "{'jsonrpc':'2.0','method':'notifications/roots/list_changed'}"), CancellationToken.None);

        Assert.Empty(_bank.Notifications);
        Assert.Equal(ReasonCodes.LedgerUnavailable, (string?)refused!["error"]!["data"]!["reason"]);
        Assert.Null(refused["id"]);
        Assert.Contains("database is locked", (string?)refused["error"]!["message"], StringComparison.Ordinal);
        Assert.Contains("did not act on it or forward it", (string?)refused["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forward_TheLedgerFailsForTheSecondUpstream_OnlyTheFirstHasItAndTheClientIsToldWhere()
    {
        _recorder.Before = record =>
        {
            if (((ClientNotificationRecord)record).Server == "crm")
            {
                throw new RecordingFailedException("disk full");
            }
        };

        var refused = await _relay.ForwardAsync(Notification(null, "{'jsonrpc':'2.0','method':'notifications/progress','params':{'progressToken':1,'progress':1}}"), CancellationToken.None);

        Assert.Single(_bank.Notifications);
        Assert.Empty(_crm.Notifications);
        Assert.Contains("forwarded it only to bank", (string?)refused!["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forward_MaskingFails_NothingRecordedOrSent()
    {
        var refused = await _relay.ForwardAsync(Notification("bank", $"{{'jsonrpc':'2.0','method':'notifications/x-vendor/note','params':{{'text':'{WordMasker.Poison}'}}}}"), CancellationToken.None);

        Assert.Equal(ReasonCodes.MaskingFailed, (string?)refused!["error"]!["data"]!["reason"]);
        Assert.Empty(_recorder.ClientNotifications);
        Assert.Empty(_bank.Notifications);
    }

    [Fact]
    public async Task Forward_SensitiveValue_StoredMaskedAndSentAsTheClientWroteIt()
    {
        await _relay.ForwardAsync(Notification("bank", $"{{'jsonrpc':'2.0','method':'notifications/x-vendor/note','params':{{'text':'{WordMasker.Ssn}'}}}}"), CancellationToken.None);

        var stored = Assert.Single(_recorder.ClientNotifications);
        Assert.Equal("[SSN]", (string?)stored.Notification.Message["params"]!["text"]);
        Assert.Equal(WordMasker.Ssn, (string?)Assert.Single(_bank.Notifications)["params"]!["text"]);
    }

    [Fact]
    public async Task Forward_UpstreamsThatTakeNoNotificationsOrAreDown_NeitherRecordedNorSent()
    {
        _crm.TakesNotifications = false;
        _bank.State = UpstreamState.Down;

        var refused = await _relay.ForwardAsync(Notification(null, "{'jsonrpc':'2.0','method':'notifications/roots/list_changed'}"), CancellationToken.None);

        Assert.Null(refused);
        Assert.Empty(_recorder.ClientNotifications);
        Assert.Empty(_bank.Notifications);
        Assert.Empty(_crm.Notifications);
    }

    [Fact]
    public async Task Record_ActedOnByTheGateway_RecordedOnceForTheRouteAndNeverSent()
    {
        var refused = await _relay.RecordAsync(Notification("bank", "{'jsonrpc':'2.0','method':'notifications/cancelled','params':{'requestId':4}}"));

        Assert.Null(refused);
        var record = Assert.Single(_recorder.ClientNotifications);
        Assert.Equal("bank", record.Server);
        Assert.Equal(McpMethods.Cancelled, JsonRpc.Method(record.Notification.Message));
        Assert.Empty(_bank.Notifications);
    }
}
