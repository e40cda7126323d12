using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Relay;

/// <summary>A session-era subscription: resources/updated reaches the subscribed client on its GET stream.</summary>
[Collection(nameof(EverythingCollection))]
public sealed class SubscriptionTests(EverythingUpstreams upstreams)
{
    [Theory]
    [InlineData("everything")]
    [InlineData(null)]
    public async Task SubscribeToResource_UpstreamSendsUpdates_ClientReceivesThem(string? route)
    {
        await using var client = await Clients.ConnectAsync(upstreams.Gateway.Mcp(route), "2025-11-25");
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
}
