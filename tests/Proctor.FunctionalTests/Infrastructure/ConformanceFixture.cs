namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>The C# conformance fixture (samples/Proctor.Samples.Conformance) as a running HTTP server of both eras.</summary>
internal sealed class ConformanceFixture : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private ConformanceFixture(ChildProcess process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <param name="port">A fixed port, to start a fixture again where a killed one was; a free one otherwise.</param>
    public static async Task<ConformanceFixture> StartAsync(int? port = null)
    {
        if (!File.Exists(Peers.ConformanceFixtureDll))
        {
            throw new InvalidOperationException($"The conformance fixture is not built ({Peers.ConformanceFixtureDll}); build the solution first.");
        }

        port ??= Ports.Free();
        var process = ChildProcess.Start("dotnet", [Peers.ConformanceFixtureDll, "--urls", $"http://127.0.0.1:{port}"]);
        await Ports.WaitForListeningAsync(port.Value, TimeSpan.FromSeconds(30));
        return new ConformanceFixture(process, new Uri($"http://127.0.0.1:{port}/mcp"));
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
