namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>
/// <c>@modelcontextprotocol/server-everything</c> behind one gateway twice: spawned over stdio by the
/// gateway, and as a Streamable HTTP server (started here, bound to loopback) the gateway connects to.
/// </summary>
public sealed class EverythingUpstreams : IAsyncLifetime
{
    private ChildProcess? _httpServer;

    internal GatewayUnderTest Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Peers.RequireInstalled();
        var port = Ports.Free();
        _httpServer = ChildProcess.Start(Peers.Node, ["--require", Peers.BindLoopback, Peers.EverythingServer, "streamableHttp"], new Dictionary<string, string> { ["PORT"] = port.ToString() });
        await Ports.WaitForListeningAsync(port, TimeSpan.FromSeconds(30));
        Gateway = await GatewayUnderTest.StartAsync($$"""
              everything:
                command: "node"
                args: ["{{Peers.EverythingServer}}", "stdio"]
                timeout: "20s"
              remote:
                url: "http://127.0.0.1:{{port}}/mcp"
                timeout: "20s"
            """);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        if (_httpServer is not null)
        {
            await _httpServer.DisposeAsync();
        }
    }
}
