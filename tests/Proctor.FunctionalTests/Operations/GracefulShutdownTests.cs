using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Proctor.FunctionalTests.Infrastructure;
using Xunit.Abstractions;

namespace Proctor.FunctionalTests.Operations;

/// <summary>
/// A routine deploy: the real <c>proctor serve</c> process gets SIGTERM while calls that take 2 s are in flight.
/// Every one of them finishes, requests arriving meanwhile are refused with a clear 503, <c>/readyz</c> turns at
/// once, the process exits 0, and the ledger verifies with a last checkpoint over every event.
/// </summary>
public sealed class GracefulShutdownTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int SlowCalls = 6;

    private string _folder = "";
    private string _config = "";
    private string _database = "";
    private int _port;

    public async Task InitializeAsync()
    {
        Peers.RequireInstalled();
        _folder = Directory.CreateTempSubdirectory("proctor-shutdown-").FullName;
        _database = Path.Combine(_folder, "proctor.db");
        _config = Path.Combine(_folder, "proctor.yaml");
        _port = Ports.Free();
        await File.WriteAllTextAsync(_config, $"""
            gateway:
              listen: "http://127.0.0.1:{_port}"
              shutdownTimeout: "10s"
            storage:
              path: "{_database}"
            logging:
              level: "Information"
            upstreams:
              everything:
                command: "node"
                args: ["{Peers.EverythingServer}", "stdio"]
            """);
    }

    [Fact]
    public async Task Serve_SigtermWithTwoSecondCallsInFlight_FinishesThemRefusesNewOnesAndExitsZeroWithAFinalCheckpoint()
    {
        await using var gateway = ChildProcess.Start("dotnet", [Peers.ProctorDll, "serve", "--config", _config]);
        await Ports.WaitForListeningAsync(_port, TimeSpan.FromSeconds(30));
        var endpoint = new Uri($"http://127.0.0.1:{_port}/mcp/everything");
        var clients = await Task.WhenAll(Enumerable.Range(0, SlowCalls).Select(_ => Clients.ConnectAsync(endpoint, "2025-11-25")));
        var started = 0;
        var calls = clients.Select(client =>
        {
            var first = 0;
            return client.CallToolAsync("trigger-long-running-operation", new Dictionary<string, object?> { ["duration"] = 2, ["steps"] = 4 },
                new SynchronousProgress(_ => { if (Interlocked.Exchange(ref first, 1) == 0) { Interlocked.Increment(ref started); } })).AsTask();
        }).ToArray();
        await Eventually.TrueAsync(() => Volatile.Read(ref started) == SlowCalls, TimeSpan.FromSeconds(15)); // each has reported its first step

        var signalled = DateTime.UtcNow;
        Signals.Terminate(gateway.Id);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var readiness = await FirstNotReadyAsync(http, new Uri($"http://127.0.0.1:{_port}/readyz"));
        var (refused, connection, error) = await InitializeDuringDrainAsync(http, endpoint);
        var results = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(20));
        var exit = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var took = DateTime.UtcNow - signalled;
        output.WriteLine($"exit {exit} {took.TotalMilliseconds:0} ms after SIGTERM\n{gateway.Output}");

        Assert.True((bool)readiness["draining"]!);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused);
        Assert.Equal("close", connection);
        Assert.Equal("gateway.shutting_down", (string?)error?["data"]?["reason"]);
        Assert.Contains("shutting down", (string?)error?["message"], StringComparison.Ordinal);
        Assert.All(results, result => Assert.Contains("Long running operation completed", Clients.Text(result), StringComparison.Ordinal));
        Assert.Equal(0, exit);
        Assert.True(took < TimeSpan.FromSeconds(12), $"the gateway took {took.TotalSeconds:0.0} s to stop after its calls finished");

        var (verifyExit, verified) = await ProctorCli.RunAsync("audit", "verify", "--config", _config, "--json");
        Assert.True(verifyExit == 0 && (bool)JsonNode.Parse(verified)!["intact"]!, verified);
        var (entries, checkpointed, responses) = await LedgerCountsAsync();
        Assert.Equal(entries, checkpointed);
        Assert.Equal(SlowCalls, responses);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    /// <summary>Polls <c>/readyz</c> for at most 2 s and returns the first not-ready answer's body.</summary>
    private static async Task<JsonObject> FirstNotReadyAsync(HttpClient http, Uri readyz)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync(readyz);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("/readyz still answered ready 2 s after SIGTERM.");
    }

    /// <summary>A new client arriving during the drain, as a load balancer that has not yet noticed would send one.</summary>
    private static async Task<(HttpStatusCode Status, string? Connection, JsonObject? Error)> InitializeDuringDrainAsync(HttpClient http, Uri endpoint)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"late","version":"1"}}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject;
        return (response.StatusCode, response.Headers.Connection.SingleOrDefault(), body?["error"] as JsonObject);
    }

    private async Task<(long Entries, long Checkpointed, long Responses)> LedgerCountsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var query = connection.CreateCommand();
        query.CommandText = "SELECT max(tree_size) FROM checkpoints";
        var checkpointed = (long)(await query.ExecuteScalarAsync())!;
        var entries = Evidence.StoredEvents.FromLog(_database);
        var responses = entries.Count(e => e.Kind == "call.response" && (string?)e.Event!["action"]?["name"] == "trigger-long-running-operation");
        return (entries.Count, checkpointed, responses);
    }

    /// <summary>Reports on the thread that raises it, so the first step is seen before the call's answer.</summary>
    private sealed class SynchronousProgress(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => report(value);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
