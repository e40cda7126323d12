using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Proctor.FunctionalTests.Infrastructure;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Events;
using Proctor.Storage.Sqlite.Ledger;

namespace Proctor.FunctionalTests.Evidence;

/// <summary>
/// <c>storage.retention</c> as an operator uses it: the running gateway purges payloads past it by itself,
/// and <c>proctor audit purge</c> without <c>--before</c> applies it; either way the purge is an event and the
/// ledger verifies.
/// </summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private static readonly string Bank = $"""
          bank:
            command: dotnet
            args: ["{Peers.ProctorDll}", "sample", "bank-server"]
        """;

    private string _folder = "";
    private string _database = "";

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("proctor-retention-").FullName;
        _database = Path.Combine(_folder, "proctor.db");
        await using var store = await SqliteLedgerStore.OpenAsync(_database);
        await using var ledger = new AuditLedger(store);
        for (var i = 0; i < 3; i++)
        {
            await ledger.AppendAsync(new LedgerEvent
            {
                Id = EventIds.New(TimeProvider.System),
                Kind = EventKinds.CallRequest,
                Time = DateTimeOffset.UtcNow.AddDays(-10),
                CallId = $"old-{i}",
                Actor = new EventActor { Subject = "alice" },
                Location = new EventLocation { Server = "bank", SessionId = "old-session" },
            });
        }
    }

    [Fact]
    public async Task Serve_RetentionConfigured_PurgesOldPayloadsByItself_AndTheLedgerVerifies()
    {
        await using (var gateway = await GatewayUnderTest.StartAsync(Bank, $"storage:\n  path: \"{_database}\"\n  retention: \"7d\"\n  retentionCheckInterval: \"1s\""))
        {
            for (var i = 0; i < 100 && (await StoredEvents.OfKindAsync(_database, "ledger.purge")).Count == 0; i++)
            {
                await Task.Delay(100);
            }
        }

        var stored = await StoredEvents.ReadAsync(_database);
        Assert.Equal(1, stored.Count(e => e.Kind == "ledger.purge"));
        Assert.Equal(3, stored.Count(e => e.Event is null));
        var purge = stored.First(e => e.Kind == "ledger.purge").Event!;
        Assert.Equal("proctor:retention", (string)purge["actor"]!["subject"]!);
        Assert.Equal("7d", (string)purge["details"]!["retention"]!);
        var (exit, output) = await ProctorCli.RunAsync("audit", "verify", "--config", await ConfigAsync("7d"), "--json");
        Assert.True(exit == 0, output);
        Assert.Equal(3, (int)JsonNode.Parse(output)!["purged"]!);
    }

    [Fact]
    public async Task AuditPurge_NoBefore_UsesTheConfiguredRetention_OrSaysWhatIsMissing()
    {
        var (kept, keptOutput) = await ProctorCli.RunAsync("audit", "purge", "--config", await ConfigAsync("30d"), "--json");
        var (purged, purgedOutput) = await ProctorCli.RunAsync("audit", "purge", "--config", await ConfigAsync("7d"), "--json");
        var (refused, refusedOutput) = await ProctorCli.RunAsync("audit", "purge", "--config", await ConfigAsync(null));

        Assert.True(kept == 0, keptOutput);
        Assert.Equal(0, (int)JsonNode.Parse(keptOutput)!["purged"]!);
        Assert.True(purged == 0, purgedOutput);
        Assert.Equal(3, (int)JsonNode.Parse(purgedOutput)!["purged"]!);
        Assert.Equal(2, refused);
        Assert.Contains("no --before date and no storage.retention", refusedOutput, StringComparison.Ordinal);
    }

    private async Task<string> ConfigAsync(string? retention)
    {
        var path = Path.Combine(_folder, $"proctor-{retention ?? "none"}.yaml");
        await File.WriteAllTextAsync(path, $"storage:\n  path: \"{_database}\"\n" + (retention is null ? "" : $"  retention: \"{retention}\"\n"));
        return path;
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
