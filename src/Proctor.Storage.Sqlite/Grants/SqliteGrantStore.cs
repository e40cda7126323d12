using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Proctor.Approvals.Grants;
using Proctor.Storage.Sqlite.Files;

namespace Proctor.Storage.Sqlite.Grants;

/// <summary>
/// Grants and break-glass reviews in the gateway's SQLite database (tables <c>access_grants</c> and <c>access_reviews</c>),
/// in WAL mode beside approvals. Each row keeps what queries select on as columns (holder, state, when it is due, version)
/// and the record itself as JSON (<c>body</c>), which only <see cref="GrantRules"/> interprets. Every change is one UPDATE
/// guarded on the version: of two writers that read the same version, exactly one changes the row.
/// </summary>
public sealed class SqliteGrantStore : IGrantStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS access_grants (
            id        TEXT PRIMARY KEY,
            identity  TEXT NOT NULL,
            server    TEXT NOT NULL,
            state     TEXT NOT NULL,
            due_at    INTEGER,
            version   INTEGER NOT NULL,
            body      TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS access_grants_open ON access_grants (due_at) WHERE state IN ('pending', 'active');
        CREATE TABLE IF NOT EXISTS access_reviews (
            id        TEXT PRIMARY KEY,
            grant_id  TEXT NOT NULL,
            open      INTEGER NOT NULL,
            version   INTEGER NOT NULL,
            body      TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS access_reviews_open ON access_reviews (open);
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    private readonly GatewayTable _table;

    public SqliteGrantStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _table = new GatewayTable(Path.GetFullPath(path), Schema);
    }

    public async Task CreateAsync(AccessGrant grant, CancellationToken cancellationToken)
    {
        await using var connection = (await _table.OpenAsync(create: true, cancellationToken).ConfigureAwait(false))!;
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO access_grants (id, identity, server, state, due_at, version, body) VALUES ($id, $identity, $server, $state, $due_at, 1, $body)";
        BindGrant(command, grant with { Version = 1 });
        command.Parameters.AddWithValue("$identity", grant.Identity);
        command.Parameters.AddWithValue("$server", grant.Server);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<AccessGrant?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var found = await GrantsAsync("id = $id", c => c.Parameters.AddWithValue("$id", id), cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<AccessGrant>> ListAsync(GrantQuery query, CancellationToken cancellationToken) =>
        GrantsAsync($"{(query.State is null ? "1 = 1" : "state = $state")} AND {(query.Identity is null ? "1 = 1" : "identity = $identity")} ORDER BY id DESC LIMIT $limit", command =>
        {
            if (query.State is { } state)
            {
                command.Parameters.AddWithValue("$state", GrantStates.Name(state));
            }

            if (query.Identity is { } identity)
            {
                command.Parameters.AddWithValue("$identity", identity);
            }

            command.Parameters.AddWithValue("$limit", query.Limit);
        }, cancellationToken);

    public Task<IReadOnlyList<AccessGrant>> ActiveAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        GrantsAsync("state = 'active' AND due_at > $now", c => c.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds()), cancellationToken);

    public Task<IReadOnlyList<AccessGrant>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        GrantsAsync("state IN ('pending', 'active') AND due_at <= $now ORDER BY due_at LIMIT $limit", command =>
        {
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$limit", limit);
        }, cancellationToken);

    public async Task<AccessGrant?> ReplaceAsync(AccessGrant current, AccessGrant next, CancellationToken cancellationToken)
    {
        if (next.Id != current.Id || next.Identity != current.Identity || next.Server != current.Server || !next.Tools.SequenceEqual(current.Tools, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Grant {current.Id} can change its state, never whose it is or what it covers.", nameof(next));
        }

        await using var connection = await _table.OpenAsync(create: false, cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            return null;
        }

        var stored = next with { Version = current.Version + 1 };
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE access_grants SET state = $state, due_at = $due_at, body = $body, version = version + 1 WHERE id = $id AND version = $version";
        BindGrant(command, stored);
        command.Parameters.AddWithValue("$version", current.Version);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? stored : null;
    }

    public async Task CreateReviewAsync(AccessReview review, CancellationToken cancellationToken)
    {
        await using var connection = (await _table.OpenAsync(create: true, cancellationToken).ConfigureAwait(false))!;
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO access_reviews (id, grant_id, open, version, body) VALUES ($id, $grant_id, $open, 1, $body)";
        BindReview(command, review with { Version = 1 });
        command.Parameters.AddWithValue("$grant_id", review.GrantId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<AccessReview?> FindReviewAsync(string id, CancellationToken cancellationToken)
    {
        var found = await ReviewsAsync("id = $id", c => c.Parameters.AddWithValue("$id", id), cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<AccessReview>> ListReviewsAsync(bool openOnly, int limit, CancellationToken cancellationToken) =>
        ReviewsAsync($"{(openOnly ? "open = 1" : "1 = 1")} ORDER BY id DESC LIMIT $limit", c => c.Parameters.AddWithValue("$limit", limit), cancellationToken);

    public async Task<int> CountOpenReviewsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _table.OpenAsync(create: false, cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            return 0;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM access_reviews WHERE open = 1";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<AccessReview?> ReplaceReviewAsync(AccessReview current, AccessReview next, CancellationToken cancellationToken)
    {
        if (next.Id != current.Id || next.GrantId != current.GrantId)
        {
            throw new ArgumentException($"Review {current.Id} can be closed, never moved to another grant.", nameof(next));
        }

        await using var connection = await _table.OpenAsync(create: false, cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            return null;
        }

        var stored = next with { Version = current.Version + 1 };
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE access_reviews SET open = $open, body = $body, version = version + 1 WHERE id = $id AND version = $version";
        BindReview(command, stored);
        command.Parameters.AddWithValue("$version", current.Version);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? stored : null;
    }

    /// <summary>When the sweep must look at it: a pending request when it lapses, an active grant when it ends; never once it is over.</summary>
    private static object DueAt(AccessGrant grant) => grant.State switch
    {
        GrantState.Pending => grant.DecideBy.ToUnixTimeMilliseconds(),
        GrantState.Active when grant.ExpiresAt is { } end => end.ToUnixTimeMilliseconds(),
        _ => DBNull.Value,
    };

    private static void BindGrant(SqliteCommand command, AccessGrant grant)
    {
        command.Parameters.AddWithValue("$id", grant.Id);
        command.Parameters.AddWithValue("$state", GrantStates.Name(grant.State));
        command.Parameters.AddWithValue("$due_at", DueAt(grant));
        command.Parameters.AddWithValue("$body", JsonSerializer.Serialize(grant, Json));
    }

    private static void BindReview(SqliteCommand command, AccessReview review)
    {
        command.Parameters.AddWithValue("$id", review.Id);
        command.Parameters.AddWithValue("$open", review.IsOpen ? 1 : 0);
        command.Parameters.AddWithValue("$body", JsonSerializer.Serialize(review, Json));
    }

    private async Task<IReadOnlyList<AccessGrant>> GrantsAsync(string where, Action<SqliteCommand> bind, CancellationToken cancellationToken) =>
        await RowsAsync("access_grants", where, bind, (body, version) => JsonSerializer.Deserialize<AccessGrant>(body, Json)! with { Version = version }, cancellationToken).ConfigureAwait(false);

    private async Task<IReadOnlyList<AccessReview>> ReviewsAsync(string where, Action<SqliteCommand> bind, CancellationToken cancellationToken) =>
        await RowsAsync("access_reviews", where, bind, (body, version) => JsonSerializer.Deserialize<AccessReview>(body, Json)! with { Version = version }, cancellationToken).ConfigureAwait(false);

    private async Task<List<T>> RowsAsync<T>(string table, string where, Action<SqliteCommand> bind, Func<string, long, T> read, CancellationToken cancellationToken)
    {
        await using var connection = await _table.OpenAsync(create: false, cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            return [];
        }

        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT body, version FROM {table} WHERE {where}";
        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader.GetString(0), reader.GetInt64(1)));
        }

        return rows;
    }
}
