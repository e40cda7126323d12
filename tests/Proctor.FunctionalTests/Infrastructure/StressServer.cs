namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>
/// tests/node/stress-server.mjs, the upstream that misbehaves on request (floods, huge answers, resets),
/// over Streamable HTTP on a fixed loopback port, so that it can be killed and started again in its place.
/// </summary>
internal sealed class StressServer : IAsyncDisposable
{
    private readonly string[] _flags;
    private ChildProcess? _process;

    private StressServer(int port, string[] flags)
    {
        Port = port;
        _flags = flags;
    }

    public static string Script => Path.Combine(Peers.RepositoryRoot, "tests", "node", "stress-server.mjs");

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/mcp";

    /// <param name="flags"><c>--json</c> (answers as JSON bodies), <c>--refuse-initialize</c>.</param>
    public static async Task<StressServer> StartAsync(params string[] flags)
    {
        Peers.RequireInstalled();
        var server = new StressServer(Ports.Free(), flags);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Kills the server (SIGKILL): its connections end, its sessions are gone.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Starts a new server process on the same port: it knows none of the old sessions.</summary>
    public async Task StartAgainAsync()
    {
        _process = ChildProcess.Start(Peers.Node, [Script, "http", .. _flags], new Dictionary<string, string> { ["PORT"] = Port.ToString() });
        await Ports.WaitForListeningAsync(Port, TimeSpan.FromSeconds(30));
    }

    public ValueTask DisposeAsync() => new(KillAsync());
}
