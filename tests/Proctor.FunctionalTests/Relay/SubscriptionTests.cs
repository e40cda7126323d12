using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Relay;

/// <summary>
/// Resource subscriptions of both eras against a session-era upstream: resources/subscribe with updates
/// on the GET stream, and 2026-07-28 subscriptions/listen served by the gateway's listen bridge.
/// </summary>
[Collection(nameof(EverythingCollection))]
public sealed class SubscriptionTests(EverythingUpstreams upstreams)
{
    [Theory]
    [InlineData("2025-11-25", "everything")]
    [InlineData("2025-11-25", null)]
    public async Task SubscribeToResource_UpstreamSendsUpdates_ClientReceivesThem(string version, string? route)
    {
        await using var client = await Clients.ConnectAsync(upstreams.Gateway.Mcp(route), version);
        var resource = (await client.ListResourcesAsync()).First();
        var updated = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var toggle = route is null ? "everything__toggle-subscriber-updates" : "toggle-subscriber-updates";

        await client.SubscribeToResourceAsync(resource.Uri, (update, _) => { updated.TrySetResult(update.Uri); return ValueTask.CompletedTask; });
        await client.CallToolAsync(toggle, new Dictionary<string, object?>());
        try
        {
            // server-everything sends updates every 5 s once toggled on.
            Assert.Equal(resource.Uri, await updated.Task.WaitAsync(TimeSpan.FromSeconds(15)));
        }
        finally
        {
            await client.CallToolAsync(toggle, new Dictionary<string, object?>());
            await client.UnsubscribeFromResourceAsync(resource.Uri);
        }
    }

    // The C# SDK 2.4.0 client has no subscriptions/listen API yet, so the stream is read raw.
    [Theory]
    [InlineData("everything")]
    [InlineData(null)]
    public async Task Listen_ModernClientOnSessionEraUpstream_AcknowledgesThenRelaysTaggedUpdates(string? route)
    {
        var endpoint = upstreams.Gateway.Mcp(route);
        var uri = "demo://resource/dynamic/text/7";
        var toggle = route is null ? "everything__toggle-subscriber-updates" : "toggle-subscriber-updates";
        if (route is null)
        {
            // On /mcp the owner of a URI is learnt from listings.
            await RawMcp.PostAsync(endpoint, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/templates/list\",\"params\":{" + RawMcp.ModernMeta + "}}", RawMcp.Modern("resources/templates/list"));
        }

        using var listening = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var listen = "{\"jsonrpc\":\"2.0\",\"id\":\"listen-1\",\"method\":\"subscriptions/listen\",\"params\":{\"notifications\":{\"toolsListChanged\":true,\"resourceSubscriptions\":[\"" + uri + "\"]}," + RawMcp.ModernMeta + "}}";
        var events = RawMcp.StreamEventsAsync(endpoint, listen, RawMcp.Modern("subscriptions/listen"), listening.Token).GetAsyncEnumerator(listening.Token);

        Assert.True(await events.MoveNextAsync());
        var ack = events.Current;
        await RawMcp.PostAsync(endpoint, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"" + toggle + "\",\"arguments\":{}," + RawMcp.ModernMeta + "}}", RawMcp.Modern("tools/call", toggle));
        try
        {
            Assert.True(await events.MoveNextAsync());
            var update = events.Current;

            Assert.Equal("notifications/subscriptions/acknowledged", (string?)ack["method"]);
            Assert.Equal(uri, (string?)ack["params"]!["notifications"]!["resourceSubscriptions"]![0]);
            Assert.Equal("listen-1", (string?)ack["params"]!["_meta"]!["io.modelcontextprotocol/subscriptionId"]);
            Assert.Equal("notifications/resources/updated", (string?)update["method"]);
            Assert.Equal(uri, (string?)update["params"]!["uri"]);
            Assert.Equal("listen-1", (string?)update["params"]!["_meta"]!["io.modelcontextprotocol/subscriptionId"]);
        }
        finally
        {
            await RawMcp.PostAsync(endpoint, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"" + toggle + "\",\"arguments\":{}," + RawMcp.ModernMeta + "}}", RawMcp.Modern("tools/call", toggle));
            await events.DisposeAsync();
        }
    }
}
