using Microsoft.Data.Sqlite;
using Proctor.Ledger.Storage;

namespace Proctor.Storage.Sqlite.Ledger;

public sealed partial class SqliteLedgerStore
{
    public Task<IReadOnlyList<SessionSummary>> ListSessionsAsync(SessionQuery query, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<SessionSummary>>(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT session_id, MAX(subject), MAX(server), MIN(time_ms), MAX(time_ms), COUNT(*)
                FROM entries
                WHERE session_id IS NOT NULL
                  AND ($subject IS NULL OR subject = $subject)
                  AND ($server IS NULL OR server = $server)
                  AND ($from IS NULL OR time_ms >= $from)
                  AND ($to IS NULL OR time_ms < $to)
                GROUP BY session_id
                ORDER BY MIN(time_ms) DESC
                LIMIT $limit
                """;
            command.Parameters.AddWithValue("$subject", (object?)query.Subject ?? DBNull.Value);
            command.Parameters.AddWithValue("$server", (object?)query.Server ?? DBNull.Value);
            command.Parameters.AddWithValue("$from", query.From is { } from ? Milliseconds(from) : DBNull.Value);
            command.Parameters.AddWithValue("$to", query.To is { } to ? Milliseconds(to) : DBNull.Value);
            command.Parameters.AddWithValue("$limit", query.Limit);
            var sessions = new List<SessionSummary>();
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                sessions.Add(new SessionSummary(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    Time(reader.GetInt64(3)), Time(reader.GetInt64(4)), reader.GetInt64(5)));
            }
            return sessions;
        }, cancellationToken);

    public Task<IReadOnlyList<EventRecord>> ReadSessionAsync(string sessionId, CancellationToken cancellationToken) =>
        ReadEventsAsync("session_id = $key ORDER BY idx", sessionId, cancellationToken);

    public async Task<EventRecord?> FindEventAsync(string eventId, CancellationToken cancellationToken) =>
        (await ReadEventsAsync("event_id = $key ORDER BY idx LIMIT 1", eventId, cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    private Task<IReadOnlyList<EventRecord>> ReadEventsAsync(string where, string key, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<EventRecord>>(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT idx, event_id, kind, time_ms, session_id, body FROM entries WHERE {where}";
            command.Parameters.AddWithValue("$key", key);
            var events = new List<EventRecord>();
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                events.Add(Record(reader));
            }
            return events;
        }, cancellationToken);

    private static EventRecord Record(SqliteDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), Time(reader.GetInt64(3)),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.IsDBNull(5) ? null : LedgerEntry.EventOf((byte[])reader[5]).ToArray());
}
