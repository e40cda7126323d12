using Microsoft.Data.Sqlite;
using Proctor.Storage.Sqlite.Ledger.Log;

namespace Proctor.Storage.Sqlite.Ledger.Index;

/// <summary>One row of <c>ledger_events</c>: events sharing a session, subject and server, indexed in the same round.</summary>
internal sealed record IndexRow(long RowId, long FirstIndex, long FirstMs, string? SessionId, string? Subject, string? Server, byte[] Events)
{
    public long LastMs { get; init; }

    public int Count { get; init; }

    public List<IndexedEvent> Unpack() => EventPacking.Unpack(Events, FirstIndex, FirstMs, SessionId, Subject, Server);
}

/// <summary>The SQL of the index tables (<see cref="IndexSchema"/>).</summary>
internal static class IndexTables
{
    /// <summary>
    /// Most events one row holds: its packed events (about 35 bytes each) and the arrays that build them stay below the
    /// large object heap's 85,000 bytes, whose allocations make the runtime collect every generation.
    /// </summary>
    internal const int MaxEventsPerRow = 1_024;

    private const string RowColumns = "rowid, first_idx, first_ms, session_id, subject, server, events, last_ms, count";

    /// <summary>One past the last index the index covers.</summary>
    public static long IndexedEnd(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(first_idx + count), 0) FROM ledger_frames";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The indexed frames holding any of [<paramref name="first"/>, <paramref name="last"/>], in order.</summary>
    public static List<FrameLocation> FramesBetween(SqliteConnection connection, long first, long last)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT first_idx, count, segment, offset FROM ledger_frames
            WHERE first_idx >= (SELECT COALESCE(MAX(first_idx), 0) FROM ledger_frames WHERE first_idx <= $first) AND first_idx <= $last
            ORDER BY first_idx
            """;
        command.Parameters.AddWithValue("$first", first);
        command.Parameters.AddWithValue("$last", last);
        var frames = new List<FrameLocation>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            frames.Add(new FrameLocation(reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(0), reader.GetInt32(1)));
        }
        return frames;
    }

    /// <summary>The indexed frame with the greatest first index at or below <paramref name="index"/>: where reading towards it starts.</summary>
    public static FrameLocation? LocateFrame(SqliteConnection connection, long index)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT first_idx, count, segment, offset FROM ledger_frames WHERE first_idx <= $index ORDER BY first_idx DESC LIMIT 1";
        command.Parameters.AddWithValue("$index", index);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new FrameLocation(reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(0), reader.GetInt32(1)) : null;
    }

    public static void InsertFrames(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<FrameLocation> frames)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO ledger_frames (first_idx, count, segment, offset) VALUES ($first, $count, $segment, $offset)";
        var first = command.Parameters.Add("$first", SqliteType.Integer);
        var count = command.Parameters.Add("$count", SqliteType.Integer);
        var segment = command.Parameters.Add("$segment", SqliteType.Integer);
        var offset = command.Parameters.Add("$offset", SqliteType.Integer);
        command.Prepare();
        foreach (var frame in frames)
        {
            first.Value = frame.FirstIndex;
            count.Value = frame.Count;
            segment.Value = frame.Segment;
            offset.Value = frame.Offset;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Stores the events as rows of the events sharing a (session, subject, server), at most <see cref="MaxEventsPerRow"/> each.</summary>
    public static void InsertEvents(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<IndexedEvent> events)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO ledger_events (first_idx, last_idx, session_id, subject, server, first_ms, last_ms, min_id, max_id, count, kept, events)
            VALUES ($first, $last, $session, $subject, $server, $firstMs, $lastMs, $minId, $maxId, $count, $kept, $events)
            """;
        foreach (var row in events.GroupBy(e => (e.SessionId, e.Subject, e.Server)).SelectMany(g => g.OrderBy(e => e.Index).Chunk(MaxEventsPerRow)))
        {
            var key = (row[0].SessionId, row[0].Subject, row[0].Server);
            var firstMs = row.Min(e => e.TimeMs);
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$first", row[0].Index);
            command.Parameters.AddWithValue("$last", row[^1].Index);
            command.Parameters.AddWithValue("$session", (object?)key.SessionId ?? DBNull.Value);
            command.Parameters.AddWithValue("$subject", (object?)key.Subject ?? DBNull.Value);
            command.Parameters.AddWithValue("$server", (object?)key.Server ?? DBNull.Value);
            command.Parameters.AddWithValue("$firstMs", firstMs);
            command.Parameters.AddWithValue("$lastMs", row.Max(e => e.TimeMs));
            var keys = row.Select(e => EventPacking.IdKey(e.EventId)).ToList();
            command.Parameters.AddWithValue("$minId", keys.Min(ByteOrder.Instance)!);
            command.Parameters.AddWithValue("$maxId", keys.Max(ByteOrder.Instance)!);
            command.Parameters.AddWithValue("$count", row.Length);
            command.Parameters.AddWithValue("$kept", row.Count(e => !e.Purged));
            command.Parameters.AddWithValue("$events", EventPacking.Pack(row, row[0].Index, firstMs));
            command.ExecuteNonQuery();
        }
    }

    public static List<IndexRow> ReadRows(SqliteConnection connection, SqliteTransaction? transaction, string where, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {RowColumns} FROM ledger_events WHERE {where}";
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        var rows = new List<IndexRow>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new IndexRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), Text(reader, 3), Text(reader, 4), Text(reader, 5), (byte[])reader[6])
            {
                LastMs = reader.GetInt64(7),
                Count = reader.GetInt32(8),
            });
        }
        return rows;
    }

    public static void DeleteRows(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<long> rowIds)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM ledger_events WHERE rowid = $row";
        var row = command.Parameters.Add("$row", SqliteType.Integer);
        foreach (var id in rowIds)
        {
            row.Value = id;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Marks the events at <paramref name="indexes"/> purged and forgets their subject (a purge drops identities too):
    /// their rows are rewritten, the purged events regrouped without a subject.
    /// </summary>
    public static void MarkPurged(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyCollection<long> indexes)
    {
        if (indexes.Count == 0)
        {
            return;
        }
        var set = indexes as HashSet<long> ?? [.. indexes];
        var rows = ReadRows(connection, transaction, "last_idx >= $min AND first_idx <= $max", ("$min", set.Min()), ("$max", set.Max()));
        var rewritten = new List<IndexedEvent>();
        var replaced = new List<long>();
        foreach (var row in rows)
        {
            var events = row.Unpack();
            if (!events.Any(e => !e.Purged && set.Contains(e.Index)))
            {
                continue;
            }
            replaced.Add(row.RowId);
            rewritten.AddRange(events.Select(e => set.Contains(e.Index) ? e with { Subject = null, Purged = true } : e));
        }
        DeleteRows(connection, transaction, replaced);
        InsertEvents(connection, transaction, rewritten);
    }

    /// <summary>Forgets everything indexed at or past <paramref name="end"/>: the log ends there now (a cut, or a log restored from an older backup).</summary>
    public static void TrimTo(SqliteConnection connection, SqliteTransaction transaction, long end)
    {
        var rows = ReadRows(connection, transaction, "last_idx >= $end", ("$end", end));
        DeleteRows(connection, transaction, rows.Select(r => r.RowId));
        InsertEvents(connection, transaction, rows.SelectMany(r => r.Unpack()).Where(e => e.Index < end));
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM ledger_frames WHERE first_idx + count > $end";
        command.Parameters.AddWithValue("$end", end);
        command.ExecuteNonQuery();
    }

    private static string? Text(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
}

/// <summary>Byte strings as SQLite compares BLOBs: memcmp, then length.</summary>
internal sealed class ByteOrder : IComparer<byte[]>
{
    public static readonly ByteOrder Instance = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}

/// <summary>Strings in Unicode code point order, which is SQLite's BINARY order of their UTF-8 bytes (ordinal .NET order differs only for surrogates).</summary>
internal sealed class CodePointOrder : IComparer<string>
{
    public static readonly CodePointOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }
        var n = Math.Min(x.Length, y.Length);
        for (var i = 0; i < n; i++)
        {
            if (x[i] != y[i])
            {
                return Fix(x[i]) - Fix(y[i]);
            }
        }
        return x.Length - y.Length;
    }

    // Surrogates (D800–DFFF) encode code points above FFFF, so they sort after E000–FFFF in code point order.
    private static int Fix(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
}
