using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Builder;
using Proctor.Configuration;
using Proctor.Configuration.Models;
using Proctor.Gateway;

namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>The real gateway, in-process, listening on a free loopback port, built from YAML like production.</summary>
internal sealed class GatewayUnderTest : IAsyncDisposable
{
    private readonly WebApplication _app;

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

    public Uri Mcp(string? server = null) => new(BaseAddress, server is null ? "/mcp" : $"/mcp/{server}");

    /// <param name="upstreamsYaml">The <c>upstreams:</c> block body, indented by two spaces.</param>
    /// <param name="gatewayExtra">Top-level sections to add (e.g. <c>identity:</c>); a <c>storage:</c> section is added unless given.</param>
    public static async Task<GatewayUnderTest> StartAsync(string upstreamsYaml, string gatewayExtra = "", IReadOnlyDictionary<string, string>? environment = null, CapturedLog? log = null, string logLevel = "Warning", int? port = null)
    {
        port ??= Ports.Free();
        var data = Directory.CreateTempSubdirectory("proctor-gateway-").FullName;
        var storage = gatewayExtra.Contains("storage:", StringComparison.Ordinal) ? "" : $"""
            storage:
              path: "{Path.Combine(data, "proctor.db")}"
            """;
        var yaml = $"""
            gateway:
              listen: "http://127.0.0.1:{port}"
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

        var app = await GatewayHost.BuildAsync(result.Model!, CancellationToken.None, log is null ? null : logging => logging.AddProvider(log));
        await app.StartAsync();
        return new GatewayUnderTest(app, new Uri($"http://127.0.0.1:{port}"), data);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(DataFolder, recursive: true);
    }
}
