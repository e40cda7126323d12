using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Relay;

/// <summary>On the wire: every progress notification, with the client's own token, before the response.</summary>
[Collection(nameof(EverythingCollection))]
public sealed class ProgressWireOrderTests(EverythingUpstreams upstreams)
{
    [Theory]
    [InlineData("everything")]
    [InlineData("remote")]
    public async Task LegacyCall_WithProgressToken_StreamsEachStepThenTheResponse(string route)
    {
        var endpoint = upstreams.Gateway.Mcp(route);
        var session = await RawMcp.InitializeAsync(endpoint);
        var headers = new Dictionary<string, string> { ["Mcp-Session-Id"] = session, ["MCP-Protocol-Version"] = "2025-11-25" };
        await RawMcp.PostAsync(endpoint, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", headers);

        var events = await RawMcp.PostForEventsAsync(endpoint,
            """{"jsonrpc":"2.0","id":"call-1","method":"tools/call","params":{"name":"trigger-long-running-operation","arguments":{"duration":1,"steps":3},"_meta":{"progressToken":"client-token-42"}}}""",
            headers);

        Assert.Equal(4, events.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("notifications/progress", (string)events[i]["method"]!);
            Assert.Equal("client-token-42", (string)events[i]["params"]!["progressToken"]!);
            Assert.Equal(i + 1, (int)events[i]["params"]!["progress"]!);
        }

        Assert.Equal("call-1", (string)events[3]["id"]!);
        Assert.NotNull(events[3]["result"]);
    }
}
