using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Operations;

/// <summary>
/// The drain in the gateway's stop, with a call that never ends by itself (the cancel probe waits for its
/// cancellation): past <c>gateway.shutdownTimeout</c> it is cancelled upstream and recorded as cancelled; before
/// that, a session's client can still cancel it, while new requests on the same session are refused.
/// </summary>
public sealed class DrainTests : IAsyncLifetime
{
    private readonly string _probe = Path.Combine(Path.GetTempPath(), $"proctor-drain-{Guid.NewGuid():N}.txt");
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        Peers.RequireInstalled();
        await File.WriteAllTextAsync(_probe, "");
    }

    private Task<GatewayUnderTest> StartAsync(string shutdownTimeout) => GatewayUnderTest.StartAsync($$"""
          probe:
            command: "node"
            args: ["{{Path.Combine(Peers.RepositoryRoot, "tests", "node", "cancel-probe-server.mjs")}}"]
            env: { PROBE_FILE: "{{_probe}}" }
        """, gatewayKeys: $"shutdownTimeout: \"{shutdownTimeout}\"");

    [Fact]
    public async Task Stop_CallOutlastsShutdownTimeout_IsCancelledUpstreamRecordedAsCancelledAndAnswered503()
    {
        await using var gateway = await StartAsync("500ms");
        var session = await RawMcp.InitializeAsync(gateway.Mcp("probe"));
        var call = SendAsync(gateway.Mcp("probe"), session, """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"wait_for_cancel","arguments":{}}}""");
        await Eventually.TrueAsync(() => CountOf(gateway, "call.request") == 1, TimeSpan.FromSeconds(10));

        var started = DateTime.UtcNow;
        await gateway.StopAsync();
        var took = DateTime.UtcNow - started;
        var (status, body) = await call;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("gateway.shutting_down", (string?)body?["error"]?["data"]?["reason"]);
        Assert.Contains("shut down before this call finished (gateway.shutdownTimeout passed); the call was cancelled and recorded as cancelled", (string?)body?["error"]?["message"], StringComparison.Ordinal);
        Assert.Equal(1, CountOf(gateway, "call.cancelled"));
        Assert.Contains("cancelled", await File.ReadAllTextAsync(_probe), StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(5), $"the stop took {took.TotalSeconds:0.0} s with a 0.5 s shutdownTimeout");
    }

    [Fact]
    public async Task Drain_OnAnOpenSession_NewRequestIsRefusedWhileTheCancellationOfACallInFlightStillPasses()
    {
        await using var gateway = await StartAsync("20s");
        var endpoint = gateway.Mcp("probe");
        var session = await RawMcp.InitializeAsync(endpoint);
        var call = SendAsync(endpoint, session, """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"wait_for_cancel","arguments":{}}}""");
        await Eventually.TrueAsync(() => CountOf(gateway, "call.request") == 1, TimeSpan.FromSeconds(10));

        var started = DateTime.UtcNow;
        var stopping = gateway.StopAsync();
        await Eventually.TrueAsync(async () => await ReadyStatusAsync(gateway) == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(2));
        var (refused, refusal) = await SendAsync(endpoint, session, """{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}""");
        var (cancelled, _) = await SendAsync(endpoint, session, """{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1,"reason":"user"}}""");
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        var took = DateTime.UtcNow - started;
        await call;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused);
        Assert.Equal(2, (int?)refusal?["id"]);
        Assert.Equal("gateway.shutting_down", (string?)refusal?["error"]?["data"]?["reason"]);
        Assert.Equal(HttpStatusCode.Accepted, cancelled);
        Assert.Contains("cancelled", await File.ReadAllTextAsync(_probe), StringComparison.Ordinal);
        Assert.Equal(1, CountOf(gateway, "call.cancelled"));
        Assert.True(took < TimeSpan.FromSeconds(10), $"the stop waited {took.TotalSeconds:0.0} s although the only call in flight was cancelled by its client");
    }

    private static async Task<(HttpStatusCode Status, JsonObject? Body)> SendAsync(Uri endpoint, string session, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.Add("Mcp-Session-Id", session);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null);
    }

    private static async Task<HttpStatusCode?> ReadyStatusAsync(GatewayUnderTest gateway)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(gateway.BaseAddress, "/readyz"));
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static long CountOf(GatewayUnderTest gateway, string kind) =>
        Evidence.StoredEvents.FromLog(gateway.DatabasePath).Count(e => e.Kind == kind);

    public Task DisposeAsync()
    {
        File.Delete(_probe);
        return Task.CompletedTask;
    }
}
