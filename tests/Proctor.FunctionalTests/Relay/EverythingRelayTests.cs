using System.Collections.Concurrent;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Relay;

/// <summary>
/// The reference server behind the gateway over stdio and over Streamable HTTP, driven by the official
/// C# SDK client pinned to each protocol era. Route "everything" is stdio, "remote" is HTTP, and
/// null is the aggregated /mcp with names prefixed.
/// </summary>
[Collection(nameof(EverythingCollection))]
public sealed class EverythingRelayTests(EverythingUpstreams upstreams)
{
    public static TheoryData<string, string?> Routes()
    {
        var data = new TheoryData<string, string?>();
        foreach (var version in new[] { "2025-11-25", "2025-06-18", "2025-03-26", "2026-07-28" })
        {
            data.Add(version, "everything");
            data.Add(version, "remote");
            data.Add(version, null);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task ListTools_AnyEraAndRoute_ListsTheUpstreamsTools(string version, string? route)
    {
        await using var client = await Clients.ConnectAsync(upstreams.Gateway.Mcp(route), version);

        var tools = await client.ListToolsAsync();

        var names = tools.Select(t => t.Name).ToList();
        if (route is null)
        {
            Assert.Contains("everything__echo", names);
            Assert.Contains("remote__echo", names);
            Assert.All(names, n => Assert.Matches("^(everything|remote)__", n));
        }
        else
        {
            Assert.Contains("echo", names);
            Assert.Contains("trigger-long-running-operation", names);
        }
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task CallTool_Echo_ReturnsTheUpstreamsAnswer(string version, string? route)
    {
        await using var client = await Clients.ConnectAsync(upstreams.Gateway.Mcp(route), version);

        var result = await client.CallToolAsync(Name(route, "echo"), new Dictionary<string, object?> { ["message"] = "through proctor" });

        Assert.NotEqual(true, result.IsError);
        Assert.Contains("through proctor", Clients.Text(result));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task CallTool_LongRunningWithProgress_ProgressReachesTheClientBeforeTheResult(string version, string? route)
    {
        var steps = new ConcurrentQueue<float>();
        await using var client = await Clients.ConnectAsync(upstreams.Gateway.Mcp(route), version, options =>
            options.Handlers.NotificationHandlers =
            [
                new(NotificationMethods.ProgressNotification, (notification, _) =>
                {
                    steps.Enqueue(notification.Params!["progress"]!.GetValue<float>());
                    return ValueTask.CompletedTask;
                }),
            ]);

        // The SDK client dispatches each notification on its own task, so a loaded machine may run the
        // handlers out of order or after the call returns; the handler lives as long as the session so
        // no step is dropped. The wire order (every step before the result) is asserted by ProgressWireOrderTests.
        var result = await client.CallToolAsync(
            Name(route, "trigger-long-running-operation"),
            new Dictionary<string, object?> { ["duration"] = 2, ["steps"] = 4 },
            new SynchronousProgress(_ => { }));

        Assert.Contains("Long running operation completed", Clients.Text(result));
        await Eventually.TrueAsync(() => steps.Count >= 4, TimeSpan.FromSeconds(10));
        Assert.Equal([1f, 2f, 3f, 4f], steps.Order());
    }

    // Sampling is deprecated by 2026-07-28 (SEP-2577) but still in the protocol; the gateway must relay it.
#pragma warning disable MCP9005
    [Theory]
    [MemberData(nameof(Routes))]
    public async Task CallTool_SamplingRequest_RoundTripsThroughTheClient(string version, string? route)
    {
        await using var client = await Clients.ConnectAsync(upstreams.Gateway.Mcp(route), version, options =>
            options.Handlers.SamplingHandler = (request, _, _) => ValueTask.FromResult(new CreateMessageResult
            {
                Model = "test-model",
                Role = Role.Assistant,
                Content = [new TextContentBlock { Text = "sampled by the test client" }],
            }));

        var result = await client.CallToolAsync(Name(route, "trigger-sampling-request"), new Dictionary<string, object?> { ["prompt"] = "hello", ["maxTokens"] = 20 });

        Assert.Contains("sampled by the test client", Clients.Text(result));
    }
#pragma warning restore MCP9005

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task CallTool_ElicitationRequest_RoundTripsThroughTheClient(string version, string? route)
    {
        await using var client = await Clients.ConnectAsync(upstreams.Gateway.Mcp(route), version, options =>
            options.Handlers.ElicitationHandler = (request, _) => ValueTask.FromResult(new ElicitResult
            {
                Action = "accept",
                Content = new Dictionary<string, JsonElement> { ["name"] = JsonSerializer.SerializeToElement("Ada Lovelace") },
            }));

        var result = await client.CallToolAsync(Name(route, "trigger-elicitation-request"), new Dictionary<string, object?>());

        Assert.Contains("Ada Lovelace", Clients.Text(result));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task ReadResourceAndGetPrompt_AnyRoute_RelayContents(string version, string? route)
    {
        await using var client = await Clients.ConnectAsync(upstreams.Gateway.Mcp(route), version);
        var resources = await client.ListResourcesAsync();
        var first = resources.First(r => route is null || r.Uri.Contains("resource", StringComparison.OrdinalIgnoreCase));

        var contents = await client.ReadResourceAsync(first.Uri);
        var prompts = await client.ListPromptsAsync();
        var prompt = await client.GetPromptAsync(prompts.First(p => p.Name.EndsWith("simple-prompt", StringComparison.Ordinal)).Name);

        Assert.NotEmpty(contents.Contents);
        Assert.NotEmpty(prompt.Messages);
    }

    [Theory]
    [InlineData("2025-11-25", "everything")]
    [InlineData("2025-11-25", "remote")]
    [InlineData("2026-07-28", "everything")]
    public async Task CallTool_ClientCancels_CallEndsAndGatewayStaysUsable(string version, string route)
    {
        await using var client = await Clients.ConnectAsync(upstreams.Gateway.Mcp(route), version);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var started = DateTime.UtcNow;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            client.CallToolAsync("trigger-long-running-operation", new Dictionary<string, object?> { ["duration"] = 10, ["steps"] = 10 }, cancellationToken: cancel.Token).AsTask());
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "still here" });

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(8));
        Assert.Contains("still here", Clients.Text(echo));
    }

    [Theory]
    [InlineData("2025-11-25")]
    [InlineData("2026-07-28")]
    public async Task ListResources_Aggregated_ListsEveryUpstreamsResources(string version)
    {
        await using var aggregate = await Clients.ConnectAsync(upstreams.Gateway.Mcp(), version);
        await using var stdio = await Clients.ConnectAsync(upstreams.Gateway.Mcp("everything"), version);
        await using var remote = await Clients.ConnectAsync(upstreams.Gateway.Mcp("remote"), version);

        var all = await aggregate.ListResourcesAsync();
        var expected = (await stdio.ListResourcesAsync()).Count + (await remote.ListResourcesAsync()).Count;

        Assert.Equal(expected, all.Count);
        Assert.NotEqual(0, expected);
    }

    private static string Name(string? route, string tool) => route is null ? $"everything__{tool}" : tool;

    private sealed class SynchronousProgress(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => report(value);
    }
}

[CollectionDefinition(nameof(EverythingCollection))]
public sealed class EverythingCollection : ICollectionFixture<EverythingUpstreams>;
