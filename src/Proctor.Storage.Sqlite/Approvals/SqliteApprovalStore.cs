using System.Text.Json;
using Microsoft.Data.Sqlite;
using Proctor.Approvals.Requests;
using Proctor.Approvals.Store;
using Proctor.Storage.Sqlite.Files;

namespace Proctor.Storage.Sqlite.Approvals;

/// <summary>
/// Approval requests in the gateway's SQLite database (table <c>approvals</c>), in WAL mode so the gateway and
/// <c>proctor approvals</c> do not block each other. Every change is one UPDATE guarded on the row's version, which
/// SQLite applies atomically: of two writers that read the same version, exactly one changes the row. Only masked
/// arguments are stored; the binding's digest is keyed (decision 0037).
/// </summary>
public sealed class SqliteApprovalStore : IApprovalStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS approvals (
            id               TEXT PRIMARY KEY,
            identity         TEXT NOT NULL,
            server           TEXT NOT NULL,
            tool             TEXT NOT NULL,
            args_digest      TEXT NOT NULL,
            policy_hash      TEXT NOT NULL,
            rule             TEXT NOT NULL,
            requester        TEXT NOT NULL,
            approver_groups  TEXT NOT NULL,
            min_approvals    INTEGER NOT NULL,
            masked_arguments TEXT NOT NULL,
            justification    TEXT,
            reason           TEXT,
            created_at       INTEGER NOT NULL,
            expires_at       INTEGER NOT NULL,
            state            TEXT NOT NULL,
            approvals        TEXT NOT NULL,
            denial           TEXT,
            used_at          INTEGER,
            used_by_call     TEXT,
            version          INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS approvals_open ON approvals (identity, server, tool, args_digest, policy_hash, rule) WHERE state IN ('pending', 'approved');
        CREATE INDEX IF NOT EXISTS approvals_due ON approvals (expires_at) WHERE state IN ('pending', 'approved');
        """;

    private const string Columns = "id, identity, server, tool, args_digest, policy_hash, rule, requester, approver_groups, min_approvals, masked_arguments, justification, reason, created_at, expires_at, state, approvals, denial, used_at, used_by_call, version";

    private const string Open = "state IN ('pending', 'approved')";

    private readonly GatewayTable _table;

    public SqliteApprovalStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _table = new GatewayTable(Path.GetFullPath(path), Schema);
    }

    public async Task CreateAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(create: true, cancellationToken).ConfigureAwait(false);
        await using var command = connection!.CreateCommand();
        command.CommandText = $"""
            INSERT INTO approvals ({Columns}) VALUES ($id, $identity, $server, $tool, $args_digest, $policy_hash, $rule, $requester, $approver_groups,
                $min_approvals, $masked_arguments, $justification, $reason, $created_at, $expires_at, $state, $approvals, $denial, $used_at, $used_by_call, 1)
            """;
        Bind(command, request);
        var binding = request.Binding;
        command.Parameters.AddWithValue("$identity", binding.Identity);
        command.Parameters.AddWithValue("$server", binding.Server);
        command.Parameters.AddWithValue("$tool", binding.Tool);
        command.Parameters.AddWithValue("$args_digest", binding.ArgumentsDigest);
        command.Parameters.AddWithValue("$policy_hash", binding.PolicyHash);
        command.Parameters.AddWithValue("$rule", binding.Rule);
        command.Parameters.AddWithValue("$requester", request.Requester);
        command.Parameters.AddWithValue("$approver_groups", JsonSerializer.Serialize(request.ApproverGroups));
        command.Parameters.AddWithValue("$min_approvals", request.MinApprovals);
        command.Parameters.AddWithValue("$masked_arguments", request.MaskedArguments);
        command.Parameters.AddWithValue("$justification", (object?)request.Justification ?? DBNull.Value);
        command.Parameters.AddWithValue("$reason", (object?)request.Reason ?? DBNull.Value);
        command.Parameters.AddWithValue("$created_at", request.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expires_at", request.ExpiresAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ApprovalRequest?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var found = await QueryAsync("id = $id", command => command.Parameters.AddWithValue("$id", id), cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<ApprovalRequest>> FindOpenAsync(CallBinding binding, CancellationToken cancellationToken) =>
        QueryAsync($"identity = $identity AND server = $server AND tool = $tool AND args_digest = $digest AND policy_hash = $policy AND rule = $rule AND {Open} ORDER BY id DESC", command =>
        {
            command.Parameters.AddWithValue("$identity", binding.Identity);
            command.Parameters.AddWithValue("$server", binding.Server);
            command.Parameters.AddWithValue("$tool", binding.Tool);
            command.Parameters.AddWithValue("$digest", binding.ArgumentsDigest);
            command.Parameters.AddWithValue("$policy", binding.PolicyHash);
            command.Parameters.AddWithValue("$rule", binding.Rule);
        }, cancellationToken);

    public Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalQuery query, CancellationToken cancellationToken) =>
        QueryAsync($"{(query.State is null ? "1 = 1" : "state = $state")} ORDER BY id DESC LIMIT $limit", command =>
        {
            if (query.State is { } state)
            {
                command.Parameters.AddWithValue("$state", ApprovalStates.Name(state));
            }

            command.Parameters.AddWithValue("$limit", query.Limit);
        }, cancellationToken);

    public Task<IReadOnlyList<ApprovalRequest>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        QueryAsync($"{Open} AND expires_at <= $now ORDER BY expires_at LIMIT $limit", command =>
        {
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$limit", limit);
        }, cancellationToken);

    public async Task<ApprovalRequest?> ReplaceAsync(ApprovalRequest current, ApprovalRequest next, CancellationToken cancellationToken)
    {
        if (next.Id != current.Id || next.Binding != current.Binding)
        {
            throw new ArgumentException($"Request {current.Id} can change its state, never its id or the call it is bound to.", nameof(next));
        }

        await using var connection = await OpenAsync(create: false, cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            return null;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE approvals SET state = $state, approvals = $approvals, denial = $denial, used_at = $used_at, used_by_call = $used_by_call, version = version + 1
            WHERE id = $id AND version = $version
            """;
        Bind(command, next);
        command.Parameters.AddWithValue("$version", current.Version);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? next with { Version = current.Version + 1 } : null;
    }

    /// <summary>The id and what changes over a request's life.</summary>
    private static void Bind(SqliteCommand command, ApprovalRequest request)
    {
        command.Parameters.AddWithValue("$id", request.Id);
        command.Parameters.AddWithValue("$state", ApprovalStates.Name(request.State));
        command.Parameters.AddWithValue("$approvals", JsonSerializer.Serialize(request.Approvals.Select(Stored).ToArray()));
        command.Parameters.AddWithValue("$denial", request.Denial is { } denial ? JsonSerializer.Serialize(Stored(denial)) : DBNull.Value);
        command.Parameters.AddWithValue("$used_at", request.UsedAt is { } used ? used.ToUnixTimeMilliseconds() : DBNull.Value);
        command.Parameters.AddWithValue("$used_by_call", (object?)request.UsedByCall ?? DBNull.Value);
    }

    private async Task<IReadOnlyList<ApprovalRequest>> QueryAsync(string where, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(create: false, cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            return [];
        }

        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM approvals WHERE {where}";
        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var requests = new List<ApprovalRequest>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            requests.Add(Read(reader));
        }

        return requests;
    }

    private Task<SqliteConnection?> OpenAsync(bool create, CancellationToken cancellationToken) => _table.OpenAsync(create, cancellationToken);

    private static ApprovalRequest Read(SqliteDataReader reader)
    {
        if (!ApprovalStates.TryParse(reader.GetString(15), out var state))
        {
            throw new InvalidDataException($"Approval request {reader.GetString(0)} has state '{reader.GetString(15)}', which this gateway does not know; was the database written by a newer version?");
        }

        return new ApprovalRequest
        {
            Id = reader.GetString(0),
            Binding = new CallBinding(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6)),
            Requester = reader.GetString(7),
            ApproverGroups = JsonSerializer.Deserialize<string[]>(reader.GetString(8))!,
            MinApprovals = reader.GetInt32(9),
            MaskedArguments = reader.GetString(10),
            Justification = reader.IsDBNull(11) ? null : reader.GetString(11),
            Reason = reader.IsDBNull(12) ? null : reader.GetString(12),
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(13)),
            ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(14)),
            State = state,
            Approvals = [.. JsonSerializer.Deserialize<StoredVote[]>(reader.GetString(16))!.Select(Vote)],
            Denial = reader.IsDBNull(17) ? null : Vote(JsonSerializer.Deserialize<StoredVote>(reader.GetString(17))!),
            UsedAt = reader.IsDBNull(18) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(18)),
            UsedByCall = reader.IsDBNull(19) ? null : reader.GetString(19),
            Version = reader.GetInt64(20),
        };
    }

    private static StoredVote Stored(ApprovalVote vote) => new(vote.Identity, vote.Subject, vote.At.ToUnixTimeMilliseconds(), vote.Comment, vote.Via);

    private static ApprovalVote Vote(StoredVote vote) => new(vote.Identity, vote.Subject, DateTimeOffset.FromUnixTimeMilliseconds(vote.At), vote.Comment, vote.Via);

    /// <summary>A vote as the <c>approvals</c> and <c>denial</c> columns hold it (JSON; time in Unix milliseconds, as every column).</summary>
    private sealed record StoredVote(string Identity, string Subject, long At, string? Comment, string Via);
}
