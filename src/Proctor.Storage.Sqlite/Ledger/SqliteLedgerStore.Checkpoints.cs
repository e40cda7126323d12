using Proctor.Ledger.Storage;

namespace Proctor.Storage.Sqlite.Ledger;

public sealed partial class SqliteLedgerStore
{
    /// <summary>One process owns the file, so this node always holds the integrator lease.</summary>
    public Task<bool> TryAcquireIntegratorLeaseAsync(string node, TimeSpan duration, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task AddCheckpointAsync(StoredCheckpoint checkpoint, CancellationToken cancellationToken) =>
        RunAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO checkpoints (tree_size, note, signed_ms) VALUES ($size, $note, $signed)";
            command.Parameters.AddWithValue("$size", checkpoint.TreeSize);
            command.Parameters.AddWithValue("$note", checkpoint.Note);
            command.Parameters.AddWithValue("$signed", Milliseconds(checkpoint.SignedAt));
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    public async Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken cancellationToken) =>
        (await ReadCheckpointsAsync("ORDER BY id DESC LIMIT 1", cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    public Task<IReadOnlyList<StoredCheckpoint>> ReadCheckpointsAsync(CancellationToken cancellationToken) =>
        ReadCheckpointsAsync("ORDER BY id", cancellationToken);

    private Task<IReadOnlyList<StoredCheckpoint>> ReadCheckpointsAsync(string order, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<StoredCheckpoint>>(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT tree_size, note, signed_ms FROM checkpoints {order}";
            var checkpoints = new List<StoredCheckpoint>();
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                checkpoints.Add(new StoredCheckpoint(reader.GetInt64(0), reader.GetString(1), Time(reader.GetInt64(2))));
            }
            return checkpoints;
        }, cancellationToken);
}
