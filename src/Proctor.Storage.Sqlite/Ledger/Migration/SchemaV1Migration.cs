using Microsoft.Data.Sqlite;
using Proctor.Ledger.Log;
using Proctor.Ledger.Storage;
using Proctor.Storage.Sqlite.Ledger.Index;
using Proctor.Storage.Sqlite.Ledger.Log;

namespace Proctor.Storage.Sqlite.Ledger.Migration;

/// <summary>
/// Moves a version-1 ledger (every entry a row of <c>entries</c>) into the log, once, when a newer gateway or CLI first
/// opens it (docs/decisions/0021-ledger-migration.md). Entries keep their index, bytes and stored leaf hash exactly, purged
/// ones as leaf hashes only, so the same checkpoints verify and anything a verifier would have reported before it still
/// reports. All of it happens inside one write transaction on the database: a crash leaves version 1 as it was, and the
/// next open starts the copy again from an empty log.
/// </summary>
internal static class SchemaV1Migration
{
    public const int Version = 1;
    private const int FrameEntries = 1_024;
    private const int FrameBytes = 8 << 20;

    /// <summary>Returns how many entries were moved.</summary>
    public static long Run(SqliteConnection connection, LedgerLog log, string databasePath)
    {
        using var transaction = connection.BeginTransaction(System.Data.IsolationLevel.Serializable);
        log.Clear();
        var frames = CopyEntries(connection, transaction, log, databasePath);
        Execute(connection, transaction, IndexSchema.Create);
        IndexTables.InsertFrames(connection, transaction, frames);
        IndexEntries(connection, transaction);
        Execute(connection, transaction, "DROP TABLE entries");
        transaction.Commit();
        try
        {
            Execute(connection, null, "VACUUM");
        }
        catch (SqliteException)
        {
            // Only gives the old entries' pages back to the file system; SQLite reuses them either way.
        }
        return frames.Count == 0 ? 0 : frames[^1].EndIndex;
    }

    private static List<FrameLocation> CopyEntries(SqliteConnection connection, SqliteTransaction transaction, LedgerLog log, string databasePath)
    {
        var frames = new List<FrameLocation>();
        using var builder = new FrameBuilder();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT idx, body, leaf_hash FROM entries ORDER BY idx";
        using var reader = command.ExecuteReader();
        var batch = new List<(long Index, byte[]? Bytes, byte[] Leaf)>();
        var more = reader.Read();
        while (more)
        {
            batch.Clear();
            var bytes = 0;
            while (more && batch.Count < FrameEntries && bytes < FrameBytes)
            {
                var entry = (reader.GetInt64(0), reader.IsDBNull(1) ? null : (byte[])reader[1], (byte[])reader[2]);
                var expected = frames.Count == 0 && batch.Count == 0 ? 0 : (batch.Count > 0 ? batch[^1].Index + 1 : frames[^1].EndIndex);
                if (entry.Item1 != expected)
                {
                    throw new LedgerStoreException(
                        $"The ledger database {databasePath} (version 1) has no entry {expected}, so it cannot be moved into the log: it does not verify. " +
                        "Run `proctor audit verify` with the gateway version that wrote it, keep a copy of the database as evidence, and start this version on a new storage.path.");
                }
                batch.Add(entry);
                bytes += entry.Item2?.Length ?? 0;
                more = reader.Read();
            }
            frames.Add(log.Append(first =>
            {
                builder.Begin(first);
                foreach (var (_, entryBytes, leaf) in batch)
                {
                    builder.AddSealed(entryBytes, leaf, purged: entryBytes is null);
                }
                return builder.Finish();
            }, batch.Count));
        }
        return frames;
    }

    /// <summary>The index built from version 1's own columns: no event needs parsing.</summary>
    private static void IndexEntries(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT idx, event_id, kind, time_ms, session_id, subject, server, body IS NULL FROM entries ORDER BY idx";
        using var reader = command.ExecuteReader();
        var events = new List<IndexedEvent>();
        while (reader.Read())
        {
            events.Add(new IndexedEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6))
            {
                Purged = reader.GetBoolean(7),
            });
            if (events.Count == 65_536)
            {
                IndexTables.InsertEvents(connection, transaction, events);
                events.Clear();
            }
        }
        IndexTables.InsertEvents(connection, transaction, events);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
