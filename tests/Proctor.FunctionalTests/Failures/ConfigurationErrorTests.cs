using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Failures;

/// <summary>The real binary refuses a bad configuration with exit code 2 and names the key.</summary>
public sealed class ConfigurationErrorTests
{
    [Theory]
    [InlineData("gateway:\n  listen: \"http://127.0.0.1:1\"\n  maxRequestByte: 10\nupstreams:\n  a:\n    command: node\n", "gateway.maxRequestByte")]
    [InlineData("upstreams:\n  crm:\n    headers: { X: y }\n", "upstreams.crm")]
    [InlineData("upstreams:\n  crm:\n    url: \"http://127.0.0.1:9/mcp\"\n    timeout: \"30\"\n", "upstreams.crm.timeout")]
    public async Task Serve_InvalidConfiguration_ExitsWith2AndNamesTheKey(string yaml, string key)
    {
        var file = Path.Combine(Path.GetTempPath(), $"proctor-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        try
        {
            await using var proctor = ChildProcess.Start("dotnet", [Peers.ProctorDll, "serve", "--config", file]);

            var exit = await proctor.WaitForExitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(2, exit);
            Assert.Contains(key, proctor.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("serve --config")]
    [InlineData("serve --confgi proctor.yaml")]
    public async Task Proctor_BadCommandLine_ExitsWith2AndSaysWhy(string commandLine)
    {
        await using var proctor = ChildProcess.Start("dotnet", [Peers.ProctorDll, .. commandLine.Split(' ')]);

        var exit = await proctor.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exit);
        Assert.Contains("--config", proctor.Output, StringComparison.Ordinal);
    }
}
