using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Proctor.Ledger.Storage;
using Proctor.Storage.Sqlite.Ledger;
using Proctor.Storage.Sqlite.Ledger.Log;

namespace Proctor.Storage.Sqlite.Tests.Ledger;

/// <summary>
/// Audit before forward at the store: when the log cannot take a batch (disk full, locked by another process,
/// read-only) every append of the batch fails with a reason and nothing is acknowledged; once the cause is gone appends
/// resume by themselves and the ledger verifies. The database holds only the index, so its failures never stop appends.
/// </summary>
public class FailClosedTests
{
    private static readonly LogOptions SmallSegments = new() { FirstSegmentBytes = 64 * 1024, MaxSegmentBytes = 64 * 1024 };

    [Fact]
    public async Task Append_DiskFull_FailsWithReasonThenRecovers()
    {
        await using var fixture = await LedgerFixture.CreateAsync(log: SmallSegments);
        await fixture.AppendAsync(5);
        fixture.Store.LogCapacityBytes = Directory.EnumerateFiles(fixture.LogFolder).Sum(f => new FileInfo(f).Length);
        var failure = await Assert.ThrowsAsync<LedgerUnavailableException>(() => fixture.AppendAsync(400, from: 5));
        Assert.Contains("is full", failure.Reason);
        fixture.Store.LogCapacityBytes = null;
        await fixture.AppendAsync(5, from: 1000);
        await fixture.Checkpointer.CheckpointAsync(default);
        Assert.Null((await fixture.VerifyAsync()).Problem);
    }

    [Fact]
    public async Task Append_LogLockedByAnotherProcess_FailsWithReasonThenRecovers()
    {
        await using var fixture = await LedgerFixture.CreateAsync(busyTimeout: TimeSpan.FromMilliseconds(200));
        await fixture.AppendAsync(3);
        // .NET takes an exclusive flock(2) for FileShare.None: what another process holding the writer lock looks like.
        await using (new FileStream(Path.Combine(fixture.LogFolder, "lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            var failure = await Assert.ThrowsAsync<LedgerUnavailableException>(() => fixture.Ledger.AppendAsync(LedgerFixture.Event(3)));
            Assert.Contains("locked by another process", failure.Reason);
        }
        await fixture.AppendAsync(3, from: 4);
        await fixture.Checkpointer.CheckpointAsync(default);
        var result = await fixture.VerifyAsync();
        Assert.Null(result.Problem);
        Assert.Equal(6, result.EntriesChecked);
    }

    [Fact]
    public async Task Append_DatabaseLocked_StillCommits_QueriesReportTheLockThenSeeEverything()
    {
        await using var fixture = await LedgerFixture.CreateAsync(busyTimeout: TimeSpan.FromMilliseconds(200));
        await fixture.AppendAsync(3);
        await using (var intruder = new SqliteConnection($"Data Source={fixture.DatabasePath};Pooling=False"))
        {
            await intruder.OpenAsync();
            await using var exclusive = intruder.CreateCommand();
            exclusive.CommandText = "BEGIN EXCLUSIVE";
            await exclusive.ExecuteNonQueryAsync();
            await fixture.AppendAsync(2, from: 3);
            var failure = await Assert.ThrowsAsync<LedgerStoreException>(() => fixture.Store.ListSessionsAsync(new SessionQuery(), default));
            Assert.Contains("locked by another connection", failure.Message);
        }
        Assert.Equal(5, Assert.Single(await fixture.Store.ListSessionsAsync(new SessionQuery(), default)).EventCount);
    }

    [Fact]
    public async Task Append_IndexDatabaseFull_StillCommits_QueriesReportItThenCatchUp()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        await fixture.AppendAsync(2);
        Assert.Single(await fixture.Store.ListSessionsAsync(new SessionQuery(), default));
        fixture.Store.MaxPageCount = await PageCountAsync(fixture.DatabasePath);
        await fixture.AppendAsync(300, from: 2);
        var failure = await Assert.ThrowsAsync<LedgerStoreException>(() => fixture.Store.ReadSessionAsync("s-1", default));
        Assert.Contains("SQLITE_FULL", failure.Message);
        fixture.Store.MaxPageCount = null;
        Assert.Equal(302, (await fixture.Store.ReadSessionAsync("s-1", default)).Count);
    }

    [Fact]
    public async Task Append_ReadOnlyLog_FailsWithReasonThenRecovers()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        await fixture.AppendAsync(3);
        await fixture.Checkpointer.CheckpointAsync(default);
        var segment = Assert.Single(Directory.GetFiles(fixture.LogFolder, "*.seg"));
        // Tests run as root, which ignores file modes; the immutable attribute binds root too.
        await ChattrAsync("+i", segment);
        try
        {
            await fixture.Store.DisposeAsync(); // drop the open segment, as a restart would
            var reopened = await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await using var store = await SqliteLedgerStore.OpenAsync(fixture.DatabasePath);
                await using var ledger = new Proctor.Ledger.Appending.AuditLedger(store);
                await ledger.AppendAsync(LedgerFixture.Event(3));
            });
            var reason = reopened is LedgerUnavailableException unavailable ? unavailable.Reason : reopened.Message;
            Assert.Contains("read-only", reason);
        }
        finally
        {
            await ChattrAsync("-i", segment);
        }
        await using (var store = await SqliteLedgerStore.OpenAsync(fixture.DatabasePath))
        await using (var ledger = new Proctor.Ledger.Appending.AuditLedger(store))
        {
            await ledger.AppendAsync(LedgerFixture.Event(3));
            Assert.Equal(4, await store.GetSizeAsync(default));
        }
    }

    private static async Task<long> PageCountAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA page_count";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.NextResultAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0);
    }

    private static async Task ChattrAsync(string flag, string path)
    {
        using var chattr = Process.Start("chattr", [flag, path])!;
        await chattr.WaitForExitAsync();
        Assert.Equal(0, chattr.ExitCode);
    }
}
