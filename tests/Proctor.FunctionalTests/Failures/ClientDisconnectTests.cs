using System.Net.Http.Headers;
using System.Text;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Failures;

/// <summary>A client that goes away mid-call gets its upstream call cancelled (notifications/cancelled on stdio).</summary>
public sealed class ClientDisconnectTests
{
    [Theory]
    [InlineData("legacy")]
    [InlineData("modern")]
    public async Task ClientDisconnects_MidCall_UpstreamCallIsCancelled(string era)
    {
        Peers.RequireInstalled();
        var probe = Path.Combine(Path.GetTempPath(), $"proctor-cancel-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(probe, "");
        var script = Path.Combine(Peers.RepositoryRoot, "tests", "node", "cancel-probe-server.mjs");
        await using var gateway = await GatewayUnderTest.StartAsync($$"""
              probe:
                command: "node"
                args: ["{{script}}"]
                env: { PROBE_FILE: "{{probe}}" }
            """);
        var endpoint = gateway.Mcp("probe");
        var headers = new Dictionary<string, string>();
        var meta = "";
        if (era == "legacy")
        {
            headers["Mcp-Session-Id"] = await RawMcp.InitializeAsync(endpoint);
        }
        else
        {
            headers = RawMcp.Modern("tools/call", "wait_for_cancel");
            meta = "," + RawMcp.ModernMeta;
        }

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"wait_for_cancel","arguments":{}""" + meta + "}}", Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var disconnect = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => http.SendAsync(request, disconnect.Token));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(await File.ReadAllTextAsync(probe)).Contains("cancelled", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Contains("cancelled", await File.ReadAllTextAsync(probe), StringComparison.Ordinal);
        File.Delete(probe);
    }
}
