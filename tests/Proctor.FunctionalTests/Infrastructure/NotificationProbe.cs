using System.Text.Json.Nodes;

namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>
/// tests/node/notification-probe-server.mjs (TypeScript SDK 1.x) as an upstream, spawned by the gateway over stdio
/// or started here as a Streamable HTTP server with sessions; it writes every message it receives to a file.
/// </summary>
internal sealed class NotificationProbe : IAsyncDisposable
{
    private static readonly string Script = Path.Combine(Peers.RepositoryRoot, "tests", "node", "notification-probe-server.mjs");

    private readonly ChildProcess? _server;

    private NotificationProbe(string name, string receivedFile, string yaml, ChildProcess? server)
    {
        Name = name;
        ReceivedFile = receivedFile;
        Yaml = yaml;
        _server = server;
    }

    public string Name { get; }

    /// <summary>The <c>upstreams:</c> entry for this probe, indented for <see cref="GatewayUnderTest.StartAsync"/>.</summary>
    public string Yaml { get; }

    private string ReceivedFile { get; }

    public static NotificationProbe Stdio(string name, string folder)
    {
        var received = Path.Combine(folder, $"{name}-received.log");
        File.WriteAllText(received, "");
        return new NotificationProbe(name, received, $$"""
              {{name}}:
                command: "node"
                args: ["{{Script}}", "stdio"]
                env: { PROBE_FILE: "{{received}}" }
            """, server: null);
    }

    public static async Task<NotificationProbe> HttpAsync(string name, string folder)
    {
        Peers.RequireInstalled();
        var received = Path.Combine(folder, $"{name}-received.log");
        File.WriteAllText(received, "");
        var port = Ports.Free();
        var server = ChildProcess.Start(Peers.Node, [Script, "http"], new Dictionary<string, string> { ["PORT"] = port.ToString(), ["PROBE_FILE"] = received });
        await Ports.WaitForListeningAsync(port, TimeSpan.FromSeconds(30));
        return new NotificationProbe(name, received, $$"""
              {{name}}:
                url: "http://127.0.0.1:{{port}}/mcp"
            """, server);
    }

    /// <summary>Every message the upstream received so far, oldest first.</summary>
    public IReadOnlyList<JsonObject> Received() =>
        File.ReadAllLines(ReceivedFile).Where(line => line.StartsWith("IN ", StringComparison.Ordinal)).Select(line => JsonNode.Parse(line[3..])!.AsObject()).ToList();

    /// <summary>Waits (bounded) until the upstream received a message whose text contains <paramref name="marker"/>.</summary>
    public async Task WaitForAsync(string marker) =>
        await Eventually.TrueAsync(() => Received().Any(m => m.ToJsonString().Contains(marker, StringComparison.Ordinal)), TimeSpan.FromSeconds(15));

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
