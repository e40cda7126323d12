using Microsoft.Data.Sqlite;
using Proctor.Ledger.Storage;

namespace Proctor.Storage.Sqlite.Ledger;

/// <summary>The prepared INSERT of one entry with its query columns, owned by one connection.</summary>
internal sealed class EntryInsert : IDisposable
{
    private readonly SqliteParameter[] _parameters;

    private EntryInsert(SqliteCommand command, SqliteParameter[] parameters)
    {
        Command = command;
        _parameters = parameters;
    }

    public SqliteCommand Command { get; }

    public static EntryInsert Prepare(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO entries (idx, event_id, kind, time_ms, session_id, subject, issuer, server, body, leaf_hash)
            VALUES ($idx, $id, $kind, $time, $session, $subject, $issuer, $server, $body, $leaf)
            """;
        var parameters = new[] { "$idx", "$id", "$kind", "$time", "$session", "$subject", "$issuer", "$server", "$body", "$leaf" }
            .Select(name => command.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        command.Prepare();
        return new EntryInsert(command, parameters);
    }

    public void Bind(EntryDraft draft, LedgerEntry entry)
    {
        _parameters[0].Value = entry.Index;
        _parameters[1].Value = draft.EventId;
        _parameters[2].Value = draft.Kind;
        _parameters[3].Value = draft.Time.ToUnixTimeMilliseconds();
        _parameters[4].Value = (object?)draft.SessionId ?? DBNull.Value;
        _parameters[5].Value = (object?)draft.Subject ?? DBNull.Value;
        _parameters[6].Value = (object?)draft.Issuer ?? DBNull.Value;
        _parameters[7].Value = (object?)draft.Server ?? DBNull.Value;
        _parameters[8].Value = entry.Bytes;
        _parameters[9].Value = entry.LeafHash;
    }

    public void Dispose() => Command.Dispose();
}
