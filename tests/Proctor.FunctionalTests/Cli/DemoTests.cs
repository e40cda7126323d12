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
        var analyst = "";
        var agent = "";
        try
        {
            await using (var demo = ChildProcess.Start("dotnet", [Peers.ProctorDll, "demo", "--data", data, "--listen", $"http://127.0.0.1:{port}"]))
            {
                await Ports.WaitForListeningAsync(port, TimeSpan.FromSeconds(60));
                await WaitForAsync(() => demo.Output.Contains("agent:", StringComparison.Ordinal));
                analyst = Credential(demo.Output, "analyst");
                agent = Credential(demo.Output, "agent");
                Assert.StartsWith("eyJ", analyst, StringComparison.Ordinal);
                Assert.StartsWith("prk_", agent, StringComparison.Ordinal);
                await Assert.ThrowsAnyAsync<Exception>(() => FirstCustomerAsync(port, bearer: null)); // 401 without a credential
                var customer = await FirstCustomerAsync(port, analyst);
                Assert.Equal(JsonValueKind.Object, (await FirstCustomerAsync(port, agent)).ValueKind);

                Assert.Matches(@"^\*\*\*-\*\*-\d{4}$", customer.GetProperty("ssn").GetString()); // the bank's data flows through masking
                await WaitForAsync(() => demo.Output.Contains("@modelcontextprotocol/inspector@", StringComparison.Ordinal));
                Assert.Contains($"http://127.0.0.1:{port}/mcp", demo.Output, StringComparison.Ordinal);
                Assert.Contains($"curl -H \"Authorization: Bearer $AUDITOR\" http://127.0.0.1:{port}/api/sessions", demo.Output, StringComparison.Ordinal);
                Assert.Equal(System.Net.HttpStatusCode.OK, await ApiStatusAsync(port, Credential(demo.Output, "auditor"))); // the printed auditor token reads the API
                Assert.Equal(System.Net.HttpStatusCode.Forbidden, await ApiStatusAsync(port, analyst)); // the analyst holds no role
                Assert.Contains($"{Peers.ProctorDll} serve --config {Path.Combine(data, "proctor.yaml")}", demo.Output, StringComparison.Ordinal); // this binary, as pasted
                demoOutput = demo.Output;
            }

            var yaml = await File.ReadAllTextAsync(Path.Combine(data, "proctor.yaml"));
            Assert.Contains("# ", yaml, StringComparison.Ordinal);
            await using (var serve = ChildProcess.Start("dotnet", [Peers.ProctorDll, "serve", "--config", Path.Combine(data, "proctor.yaml")]))
            {
                await Ports.WaitForListeningAsync(port, TimeSpan.FromSeconds(60));
                Assert.Equal(JsonValueKind.Object, (await FirstCustomerAsync(port, analyst)).ValueKind); // the same token, after a restart
            }

            Assert.Contains($"{Peers.ProctorDll} audit verify --config {Path.Combine(data, "proctor.yaml")}", demoOutput, StringComparison.Ordinal);
            var (verified, output) = await ProctorCli.RunAsync("audit", "verify", "--config", Path.Combine(data, "proctor.yaml"));
            Assert.True(verified == 0, output); // both runs recorded into one ledger, which verifies
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>The credential the demo printed for one identity, on its own line ("  analyst:    eyJ…").</summary>
    private static string Credential(string output, string name) =>
        System.Text.RegularExpressions.Regex.Match(output, $@"^\s+{name}:\s+(\S+)\s*$", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value;

    private static async Task<System.Net.HttpStatusCode> ApiStatusAsync(int port, string bearer)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/api/sessions");
        request.Headers.Authorization = new("Bearer", bearer);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<JsonElement> FirstCustomerAsync(int port, string? bearer)
    {
        await using var client = await Clients.ConnectAsync(new Uri($"http://127.0.0.1:{port}/mcp"), "2025-11-25", bearer: bearer);
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
