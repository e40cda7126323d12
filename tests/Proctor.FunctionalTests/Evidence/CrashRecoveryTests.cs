using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using ModelContextProtocol.Client;
using Proctor.FunctionalTests.Infrastructure;
using Xunit.Abstractions;

namespace Proctor.FunctionalTests.Evidence;

/// <summary>
/// The evidence claim under the worst stop: the real <c>proctor serve</c> process killed with SIGKILL in
/// the middle of a load, several times over one ledger. After each kill the ledger verifies (including
/// the rounds before it, so a restarted gateway cuts what the kill left unfinished and appends after it), and every call a
/// client saw answered has both its request and its response in the ledger. The stdio upstream a killed
/// gateway leaves behind ends by itself.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Rounds = 4;
    private const int ClientsPerRound = 4;

    /// <summary>Bounds each round whatever happens: the load stops at the kill, and no round runs the load longer than this.</summary>
    private static readonly TimeSpan LongestLoad = TimeSpan.FromMilliseconds(1500);

    private string _folder = "";
    private string _config = "";
    private string _database = "";

    public Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("proctor-crash-").FullName;
        _database = Path.Combine(_folder, "proctor.db");
        _config = Path.Combine(_folder, "proctor.yaml");
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Serve_KilledWithSigkillUnderLoad_LedgerVerifiesAndEveryAnsweredCallHasBothEvents()
    {
        var answered = new List<string>();
        var random = new Random(4);
        for (var round = 0; round < Rounds; round++)
        {
            var port = Ports.Free();
            await WriteConfigurationAsync(port);
            await using var gateway = ChildProcess.Start("dotnet", [Peers.ProctorDll, "serve", "--config", _config]);
            await Ports.WaitForListeningAsync(port, TimeSpan.FromSeconds(30));
            answered.Add(await WarmUpAsync(port, round)); // the bank server is up before the kill timer starts

            var killAfter = TimeSpan.FromMilliseconds(random.Next(300, (int)LongestLoad.TotalMilliseconds));
            var roundAnswers = await LoadThenKillAsync(gateway, port, round, killAfter);
            Assert.True(roundAnswers.Count > 0, $"round {round}: no call was answered before the kill, so the round proves nothing.\n{gateway.Output}");
            answered.AddRange(roundAnswers);
            output.WriteLine($"round {round}: killed after {killAfter.TotalMilliseconds} ms of load, {roundAnswers.Count} calls answered");

            var (exit, verified) = await ProctorCli.RunAsync("audit", "verify", "--config", _config, "--json");
            Assert.True(exit == 0, $"round {round}: the ledger does not verify after SIGKILL: {verified}");
            Assert.True((bool)JsonNode.Parse(verified)!["intact"]!, verified);
            output.WriteLine($"  verified: {verified}");
            await AssertEveryAnsweredCallRecordedAsync(answered, round);
            await AssertNoUpstreamOutlivesTheGatewayAsync(round);
        }
    }

    /// <summary>A gateway killed outright cannot stop its stdio upstream; the upstream must end by itself when its stdin closes, not linger as an orphan.</summary>
    private async Task AssertNoUpstreamOutlivesTheGatewayAsync(int round)
    {
        var pids = (await StoredEvents.OfKindAsync(_database, "upstream.spawn")).Select(e => (int)e["details"]!["pid"]!).ToList();

        Assert.Equal(round + 1, pids.Count); // one spawn per start, recorded before the kill
        for (var i = 0; i < 50 && pids.Any(IsRunning); i++)
        {
            await Task.Delay(100);
        }

        Assert.False(pids.Any(IsRunning), $"round {round}: an upstream outlived the killed gateway (pids {string.Join(", ", pids.Where(IsRunning))})");
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Clients call in a loop, each call with a query no other call uses; the gateway is killed while they
    /// do. Returns the queries whose answers reached a client: the calls the ledger must hold in full.
    /// </summary>
    private static async Task<IReadOnlyCollection<string>> LoadThenKillAsync(ChildProcess gateway, int port, int round, TimeSpan killAfter)
    {
        var answered = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var killed = false;
        var clients = Enumerable.Range(0, ClientsPerRound).Select(client => Task.Run(async () =>
        {
            try
            {
                await using var mcp = await Clients.ConnectAsync(new Uri($"http://127.0.0.1:{port}/mcp/bank"), "2025-11-25");
                for (var call = 0; !stop.IsCancellationRequested; call++)
                {
                    var query = $"crash-r{round}-c{client}-n{call}";
                    await mcp.CallToolAsync("search_customers", new Dictionary<string, object?> { ["query"] = query, ["limit"] = 1 }, cancellationToken: stop.Token);
                    answered.Add(query);
                }
            }
            catch (Exception) when (Volatile.Read(ref killed))
            {
                // The kill cut this client off; only the answers it had already received count.
            }
        })).ToArray();

        await Task.Delay(killAfter);
        Assert.False(gateway.HasExited, $"the gateway stopped on its own before the kill:\n{gateway.Output}");
        Volatile.Write(ref killed, true);
        KillWithSigkill(gateway.Id);
        await gateway.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var snapshot = answered.ToArray(); // what clients saw before the kill; nothing can be answered after it
        await stop.CancelAsync();
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(10));
        return snapshot;
    }

    private static async Task<string> WarmUpAsync(int port, int round)
    {
        var query = $"crash-r{round}-warm";
        await using var mcp = await Clients.ConnectAsync(new Uri($"http://127.0.0.1:{port}/mcp/bank"), "2025-11-25");
        await mcp.CallToolAsync("search_customers", new Dictionary<string, object?> { ["query"] = query, ["limit"] = 1 });
        return query;
    }

    /// <summary>SIGKILL to the gateway alone (Process.Kill on Linux): no shutdown hook runs, and its stdio upstream sees its stdin close.</summary>
    private static void KillWithSigkill(int processId)
    {
        using var process = System.Diagnostics.Process.GetProcessById(processId);
        process.Kill(entireProcessTree: false);
    }

    private async Task AssertEveryAnsweredCallRecordedAsync(IReadOnlyCollection<string> answered, int round)
    {
        var requests = new Dictionary<string, string>(StringComparer.Ordinal);
        var responses = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stored in await StoredEvents.ReadAsync(_database))
        {
            if (stored.Kind == "call.request" && stored.Event!["action"]?["arguments"]?["query"] is { } query)
            {
                requests[(string)query!] = (string)stored.Event["call_id"]!;
            }
            else if (stored.Kind == "call.response")
            {
                responses.Add((string)stored.Event!["call_id"]!);
            }
        }

        var missingRequest = answered.Where(query => !requests.ContainsKey(query)).ToList();
        var missingResponse = answered.Where(query => requests.TryGetValue(query, out var callId) && !responses.Contains(callId)).ToList();
        Assert.True(missingRequest.Count == 0, $"round {round}: answered calls with no request event: {string.Join(", ", missingRequest.Take(5))}");
        Assert.True(missingResponse.Count == 0, $"round {round}: answered calls with no response event: {string.Join(", ", missingResponse.Take(5))}");
    }

    /// <summary>
    /// The load is one anonymous identity calling as fast as the machine allows; on a fast machine that passes the
    /// default per-identity call rate, and a 429 would end a client early. The rate limit is not what this test is about.
    /// </summary>
    private Task WriteConfigurationAsync(int port) => File.WriteAllTextAsync(_config, $"""
        gateway:
          listen: "http://127.0.0.1:{port}"
          maxCallsPerSecondPerIdentity: 1000000
        storage:
          path: "{_database}"
        logging:
          level: "Warning"
        upstreams:
          bank:
            command: dotnet
            args: ["{Peers.ProctorDll}", "sample", "bank-server"]
        """);

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
