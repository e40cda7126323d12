using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Proctor.Ledger.Storage;
using Proctor.Storage.Sqlite.Ledger;

namespace Proctor.Storage.Sqlite.Tests.Ledger;

public class FailClosedTests
{
    [Fact]
    public async Task Append_DiskFull_FailsWithReasonThenRecovers()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        await fixture.AppendAsync(5);
        fixture.Store.MaxPageCount = await PageCountAsync(fixture.DatabasePath);
        var failure = await Assert.ThrowsAsync<LedgerUnavailableException>(() => fixture.AppendAsync(200, from: 5));
        Assert.Contains("SQLITE_FULL", failure.Reason);
        fixture.Store.MaxPageCount = null;
        await fixture.AppendAsync(5, from: 1000);
        await fixture.Checkpointer.CheckpointAsync(default);
        Assert.Null((await fixture.VerifyAsync()).Problem);
    }

    [Fact]
    public async Task Append_DatabaseLocked_FailsWithReasonThenRecovers()
    {
        await using var fixture = await LedgerFixture.CreateAsync(busyTimeout: TimeSpan.FromMilliseconds(200));
        await fixture.AppendAsync(3);
        await using (var intruder = new SqliteConnection($"Data Source={fixture.DatabasePath};Pooling=False"))
        {
            await intruder.OpenAsync();
            await using var exclusive = intruder.CreateCommand();
            exclusive.CommandText = "BEGIN EXCLUSIVE";
            await exclusive.ExecuteNonQueryAsync();
            var failure = await Assert.ThrowsAsync<LedgerUnavailableException>(() => fixture.Ledger.AppendAsync(LedgerFixture.Event(3)));
            Assert.Contains("locked by another connection", failure.Reason);
        }
        await fixture.AppendAsync(3, from: 4);
        await fixture.Checkpointer.CheckpointAsync(default);
        var result = await fixture.VerifyAsync();
        Assert.Null(result.Problem);
        Assert.Equal(6, result.EntriesChecked);
    }

    [Fact]
    public async Task Append_ReadOnlyFile_FailsWithReasonThenRecovers()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        await fixture.AppendAsync(3);
        await fixture.Checkpointer.CheckpointAsync(default);
        // Tests run as root, which ignores file modes; the immutable attribute binds root too.
        await ChattrAsync("+i", fixture.DatabasePath);
        try
        {
            await fixture.Store.DisposeAsync(); // drop the open connection, as a restart would
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
            await ChattrAsync("-i", fixture.DatabasePath);
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
