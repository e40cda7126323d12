using Microsoft.Data.Sqlite;
using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Events;
using Proctor.Ledger.Merkle;
using Proctor.Ledger.Storage;
using Proctor.Ledger.Verification;
using Proctor.Storage.Sqlite.Ledger;

namespace Proctor.Storage.Sqlite.Tests.Ledger.Migration;

/// <summary>
/// A ledger written before the log (schema version 1: entries as database rows) opened by this version: moved into
/// the log once, byte for byte, so the checkpoints signed before still verify, purged entries stay purged, and the
/// queries answer as before. One that does not verify (a missing entry) is refused with what to do.
/// </summary>
public sealed class SchemaV1MigrationTests : IDisposable
{
    // The version-1 schema as the gateway before the log created it.
    private const string VersionOne = """
        CREATE TABLE entries (idx INTEGER PRIMARY KEY, event_id TEXT NOT NULL, kind TEXT NOT NULL, time_ms INTEGER NOT NULL,
            session_id TEXT, subject TEXT, issuer TEXT, server TEXT, body BLOB, leaf_hash BLOB NOT NULL);
        CREATE INDEX entries_event_id ON entries(event_id);
        CREATE INDEX entries_session ON entries(session_id, idx) WHERE session_id IS NOT NULL;
        CREATE INDEX entries_subject_time ON entries(subject, time_ms);
        CREATE INDEX entries_time ON entries(time_ms);
        CREATE TABLE checkpoints (id INTEGER PRIMARY KEY, tree_size INTEGER NOT NULL, note TEXT NOT NULL, signed_ms INTEGER NOT NULL);
        CREATE TABLE legal_holds (scope TEXT NOT NULL, value TEXT NOT NULL, reason TEXT NOT NULL, placed_ms INTEGER NOT NULL, PRIMARY KEY (scope, value));
        PRAGMA user_version = 1;
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("proctor-v1-").FullName;

    private string DatabasePath => Path.Combine(_directory, "ledger.db");

    [Fact]
    public async Task Open_VersionOneDatabase_MovesEveryEntryIntoTheLog_AndItsCheckpointStillVerifies()
    {
        using var signer = EcdsaFileSigner.OpenOrCreate(Path.Combine(_directory, "ledger.key"), "bank.example/ledger");
        var events = Enumerable.Range(0, 10).Select(i => i == 9
            ? LedgerFixture.Event(i) with { Kind = EventKinds.LedgerPurge, Location = null }
            : LedgerFixture.Event(i, session: i % 2 == 0 ? "a" : "b")).ToList();
        await WriteVersionOneAsync(events, purged: 2, signer);

        await using (var store = await SqliteLedgerStore.OpenAsync(DatabasePath))
        {
            Assert.Equal(10, store.Recovery.MigratedEntries);
            var verified = await new LedgerVerifier(store, store, signer.PublicKey).VerifyAsync();
            Assert.Null(verified.Problem);
            Assert.Equal((10L, 1L, 1), (verified.EntriesChecked, verified.PurgedEntries, verified.CheckpointsChecked));
            var a = await store.ReadSessionAsync("a", default);
            Assert.Equal([0L, 2L, 4L, 6L, 8L], a.Select(e => e.Index));
            Assert.Null(a[1].CanonicalEvent);
            Assert.Equal(events[4].Id, EventJson.Parse(a[2].CanonicalEvent).Id);
            Assert.Equal(5, (await store.FindEventAsync(events[5].Id, default))!.Index);
            Assert.Equal(2, (await store.ListSessionsAsync(new SessionQuery { Subject = "alice" }, default)).Count);
            await using var ledger = new Proctor.Ledger.Appending.AuditLedger(store);
            Assert.Equal(10, (await ledger.AppendAsync(LedgerFixture.Event(10))).Index);
        }

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM sqlite_master WHERE name = 'entries'), (SELECT user_version FROM pragma_user_version)";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((0L, 2L), (reader.GetInt64(0), reader.GetInt64(1)));
    }

    [Fact]
    public async Task Open_VersionOneDatabaseMissingAnEntry_IsRefused_NamingWhatToDo()
    {
        using var signer = EcdsaFileSigner.OpenOrCreate(Path.Combine(_directory, "ledger.key"), "bank.example/ledger");
        await WriteVersionOneAsync([.. Enumerable.Range(0, 4).Select(i => LedgerFixture.Event(i))], purged: null, signer, skip: 2);

        var refused = await Assert.ThrowsAsync<LedgerStoreException>(() => SqliteLedgerStore.OpenAsync(DatabasePath));

        Assert.Contains("has no entry 2", refused.Message);
        Assert.Contains("proctor audit verify", refused.Message);
    }

    private async Task WriteVersionOneAsync(List<LedgerEvent> events, int? purged, EcdsaFileSigner signer, int? skip = null)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using (var schema = connection.CreateCommand())
        {
            schema.CommandText = VersionOne;
            await schema.ExecuteNonQueryAsync();
        }
        var tree = new CompactRange();
        for (var i = 0; i < events.Count; i++)
        {
            var entry = LedgerEntry.Seal(i, EventJson.Canonical(events[i]));
            tree.Append(entry.LeafHash);
            if (i == skip)
            {
                continue;
            }
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO entries (idx, event_id, kind, time_ms, session_id, subject, issuer, server, body, leaf_hash)
                VALUES ($idx, $id, $kind, $time, $session, $subject, NULL, $server, $body, $leaf)
                """;
            insert.Parameters.AddWithValue("$idx", i);
            insert.Parameters.AddWithValue("$id", events[i].Id);
            insert.Parameters.AddWithValue("$kind", events[i].Kind);
            insert.Parameters.AddWithValue("$time", events[i].Time.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$session", (object?)events[i].Location?.SessionId ?? DBNull.Value);
            insert.Parameters.AddWithValue("$subject", i == purged ? DBNull.Value : events[i].Actor!.Subject);
            insert.Parameters.AddWithValue("$server", (object?)events[i].Location?.Server ?? DBNull.Value);
            insert.Parameters.AddWithValue("$body", i == purged ? DBNull.Value : entry.Bytes);
            insert.Parameters.AddWithValue("$leaf", entry.LeafHash);
            await insert.ExecuteNonQueryAsync();
        }
        var note = await SignedNote.SignAsync(new Checkpoint("bank.example/ledger", events.Count, tree.Root(), DateTimeOffset.UtcNow).ToNoteText(), signer, default);
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "INSERT INTO checkpoints (tree_size, note, signed_ms) VALUES ($size, $note, 0)";
        checkpoint.Parameters.AddWithValue("$size", events.Count);
        checkpoint.Parameters.AddWithValue("$note", note);
        await checkpoint.ExecuteNonQueryAsync();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
