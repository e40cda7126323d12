using Proctor.Bench.Micro.Ledger.Baseline;
using Proctor.Ledger.Storage;
using Proctor.Storage.Sqlite.Ledger;

namespace Proctor.Bench.Micro.Ledger;

/// <summary>The two stores the ledger benchmarks compare in one run, and what each keeps on disk.</summary>
internal static class LedgerStores
{
    public const string Before = "before: SQLite rows";
    public const string After = "after: log + index";

    public static async Task<(IEntryStore Entries, ICheckpointStore Checkpoints, IAsyncDisposable Owner)> OpenAsync(string store, string directory)
    {
        if (store == Before)
        {
            var rows = RowLedgerStore.Open(Path.Combine(directory, "ledger.db"));
            return (rows, rows, rows);
        }
        var log = await SqliteLedgerStore.OpenAsync(Path.Combine(directory, "ledger.db"));
        return (log, log, log);
    }

    /// <summary>
    /// Bytes the ledger takes: the database (its WAL checkpointed), and for the log the frames written (the zeros preallocated
    /// after the last frame of the active segment are counted apart, as <paramref name="preallocated"/>).
    /// </summary>
    public static long StoredBytes(string directory, out long preallocated)
    {
        // The write-ahead log is copied into the database and emptied first, so both stores are measured at rest.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(directory, "ledger.db")};Pooling=False"))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            checkpoint.ExecuteNonQuery();
        }
        preallocated = 0;
        long bytes = 0;
        foreach (var file in Directory.EnumerateFiles(directory, "ledger.db*"))
        {
            bytes += new FileInfo(file).Length;
        }
        var log = Path.Combine(directory, "ledger.ledger");
        foreach (var segment in Directory.Exists(log) ? Directory.EnumerateFiles(log, "*.seg") : [])
        {
            var length = new FileInfo(segment).Length;
            var used = UsedBytes(segment);
            bytes += used;
            preallocated += length - used;
        }
        return bytes;
    }

    private static long UsedBytes(string segment)
    {
        var data = File.ReadAllBytes(segment);
        var end = 0;
        while (Proctor.Ledger.Log.LogFrame.ReadHeader(data.AsSpan(end)) is { } header)
        {
            end += header.Length;
        }
        return end;
    }
}
