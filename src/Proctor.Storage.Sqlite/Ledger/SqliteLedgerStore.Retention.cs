using Proctor.Ledger.Storage;

namespace Proctor.Storage.Sqlite.Ledger;

public sealed partial class SqliteLedgerStore
{
    private const string Purgeable = """
        body IS NOT NULL AND time_ms < $before
        AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE (h.scope = 'session' AND h.value = entries.session_id)
                                                     OR (h.scope = 'subject' AND h.value = entries.subject))
        """;

    public Task AddHoldAsync(LegalHold hold, CancellationToken cancellationToken) =>
        RunAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT OR REPLACE INTO legal_holds (scope, value, reason, placed_ms) VALUES ($scope, $value, $reason, $placed)";
            command.Parameters.AddWithValue("$scope", hold.Scope.ToString().ToLowerInvariant());
            command.Parameters.AddWithValue("$value", hold.Value);
            command.Parameters.AddWithValue("$reason", hold.Reason);
            command.Parameters.AddWithValue("$placed", Milliseconds(hold.PlacedAt));
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    public Task<IReadOnlyList<LegalHold>> ReadHoldsAsync(CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<LegalHold>>(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT scope, value, reason, placed_ms FROM legal_holds ORDER BY placed_ms";
            var holds = new List<LegalHold>();
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var scope = reader.GetString(0) == "session" ? HoldScope.Session : HoldScope.Subject;
                holds.Add(new LegalHold(scope, reader.GetString(1), reader.GetString(2), Time(reader.GetInt64(3))));
            }
            return holds;
        }, cancellationToken);

    public Task<long> PurgeAsync(DateTimeOffset before, long belowIndex, CancellationToken cancellationToken) =>
        RunAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE entries SET body = NULL, subject = NULL, issuer = NULL WHERE idx < $below AND {Purgeable}";
            command.Parameters.AddWithValue("$before", Milliseconds(before));
            command.Parameters.AddWithValue("$below", belowIndex);
            return (long)await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    public Task<long> CountPurgeableAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        RunAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM entries WHERE {Purgeable}";
            command.Parameters.AddWithValue("$before", Milliseconds(before));
            return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }, cancellationToken);
}
