using System.Text.Json;
using ModelContextProtocol.Client;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Cli;

/// <summary>
/// <c>proctor demo</c> as a user runs it: the real binary, the sample bank behind the gateway, the
/// printed connection help, and a written configuration that <c>proctor serve</c> runs again.
/// </summary>
public sealed class DemoTests
{
    [Fact]
    public async Task Demo_ThenServeItsConfiguration_BothServeTheBankThroughTheGateway()
    {
        var data = Directory.CreateTempSubdirectory("proctor-demo-").FullName;
        var port = Ports.Free();
        var demoOutput = "";
        try
        {
            await using (var demo = ChildProcess.Start("dotnet", [Peers.ProctorDll, "demo", "--data", data, "--listen", $"http://127.0.0.1:{port}"]))
            {
                await Ports.WaitForListeningAsync(port, TimeSpan.FromSeconds(60));
                var customer = await FirstCustomerAsync(port);

                Assert.Matches(@"^\*\*\*-\*\*-\d{4}$", customer.GetProperty("ssn").GetString()); // the bank's data flows through masking
                await WaitForAsync(() => demo.Output.Contains("npx @modelcontextprotocol/inspector --cli", StringComparison.Ordinal));
                Assert.Contains($"http://127.0.0.1:{port}/mcp", demo.Output, StringComparison.Ordinal);
                Assert.Contains($"proctor serve --config {Path.Combine(data, "proctor.yaml")}", demo.Output, StringComparison.Ordinal);
                demoOutput = demo.Output;
            }

            var yaml = await File.ReadAllTextAsync(Path.Combine(data, "proctor.yaml"));
            Assert.Contains("# ", yaml, StringComparison.Ordinal);
            await using (var serve = ChildProcess.Start("dotnet", [Peers.ProctorDll, "serve", "--config", Path.Combine(data, "proctor.yaml")]))
            {
                await Ports.WaitForListeningAsync(port, TimeSpan.FromSeconds(60));
                Assert.Equal(JsonValueKind.Object, (await FirstCustomerAsync(port)).ValueKind);
            }

            Assert.Contains($"proctor audit verify --config {Path.Combine(data, "proctor.yaml")}", demoOutput, StringComparison.Ordinal);
            var (verified, output) = await ProctorCli.RunAsync("audit", "verify", "--config", Path.Combine(data, "proctor.yaml"));
            Assert.True(verified == 0, output); // both runs recorded into one ledger, which verifies
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<JsonElement> FirstCustomerAsync(int port)
    {
        await using var client = await Clients.ConnectAsync(new Uri($"http://127.0.0.1:{port}/mcp"), "2025-11-25");
        var result = await client.CallToolAsync("bank__search_customers", new Dictionary<string, object?> { ["query"] = "a", ["limit"] = 1 });
        return result.StructuredContent!.Value.GetProperty("customers")[0];
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }
    }
}
