using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Proctor.Configuration;
using Proctor.Configuration.Models;
using Proctor.Gateway;
using Proctor.Mcp.Pipeline;

namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>The real gateway, in-process, listening on a free loopback port, built from YAML like production.</summary>
internal sealed class GatewayUnderTest : IAsyncDisposable
{
    private readonly WebApplication _app;
    private Task? _stopped;

    private GatewayUnderTest(WebApplication app, Uri baseAddress, string dataFolder)
    {
        _app = app;
        BaseAddress = baseAddress;
        DataFolder = dataFolder;
    }

    public Uri BaseAddress { get; }

    /// <summary>This gateway's own data folder (its ledger database and keys), deleted on dispose.</summary>
    public string DataFolder { get; }

    public string DatabasePath => Path.Combine(DataFolder, "proctor.db");

    /// <summary>The gateway's services, for what the approvals code will call in-process (the notice sink).</summary>
    public IServiceProvider Services => _app.Services;

    public Uri Mcp(string? server = null) => new(BaseAddress, server is null ? "/mcp" : $"/mcp/{server}");

    /// <param name="upstreamsYaml">The <c>upstreams:</c> block body, indented by two spaces.</param>
    /// <param name="gatewayExtra">Top-level sections to add (e.g. <c>identity:</c>); a <c>storage:</c> section is added unless given.</param>
    /// <param name="gatewayKeys">Keys to add to the <c>gateway:</c> section, one per line, unindented (e.g. <c>shutdownTimeout: "500ms"</c>).</param>
    /// <param name="storageKeys">Keys to add to the default <c>storage:</c> section, one per line, unindented (e.g. <c>lockTimeout: "300ms"</c>).</param>
    /// <param name="beforeStart">Adjusts the built host before it starts (e.g. Kestrel's limits, to reach a server timeout quickly).</param>
    /// <param name="time">
    /// The gateway's clock (the system's when null). Every timer of the gateway runs on it, the stop's waits for calls
    /// and background work included: a test that passes a fake clock and leaves such work running must advance it.
    /// </param>
    public static async Task<GatewayUnderTest> StartAsync(string upstreamsYaml, string gatewayExtra = "", IReadOnlyDictionary<string, string>? environment = null, CapturedLog? log = null, string logLevel = "Warning", int? port = null, string gatewayKeys = "", Action<WebApplication>? beforeStart = null, TimeProvider? time = null, string storageKeys = "")
    {
        port ??= Ports.Free();
        var data = Directory.CreateTempSubdirectory("proctor-gateway-").FullName;
        var storage = gatewayExtra.Contains("storage:", StringComparison.Ordinal) ? "" : $"""
            storage:
              path: "{Path.Combine(data, "proctor.db")}"{Indented(storageKeys)}
            """;
        var extraKeys = Indented(gatewayKeys);
        var yaml = $"""
            gateway:
              listen: "http://127.0.0.1:{port}"{extraKeys}
            {storage}
            {gatewayExtra}
            logging:
              level: "{logLevel}"
            upstreams:
            {upstreamsYaml}
            """;
        var result = ConfigurationLoader.LoadYaml(yaml, "test.yaml", environment ?? new Dictionary<string, string>());
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Test configuration invalid: " + string.Join("; ", result.Errors));
        }

        var app = await GatewayHost.BuildAsync(result.Model!, CancellationToken.None, log is null ? null : logging => logging.AddProvider(log),
            new GatewayMeterTags([new("proctor.test.gateway", Guid.NewGuid().ToString("N"))]), time);
        beforeStart?.Invoke(app);
        await app.StartAsync();
        return new GatewayUnderTest(app, new Uri($"http://127.0.0.1:{port}"), data);
    }

    private static string Indented(string keys) => string.Concat(keys.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => "\n  " + line.Trim()));

    /// <summary>Stops the gateway as SIGTERM does (drain, listener, sessions, upstreams, final checkpoint); the data folder stays until dispose.</summary>
    public Task StopAsync() => _stopped ??= _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(DataFolder, recursive: true);
    }
}
