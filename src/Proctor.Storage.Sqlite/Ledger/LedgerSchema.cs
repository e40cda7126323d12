namespace Proctor.Storage.Sqlite.Ledger;

/// <summary>The ledger tables, versioned with PRAGMA user_version.</summary>
internal static class LedgerSchema
{
    public const int Version = 1;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS entries (
            idx        INTEGER PRIMARY KEY,
            event_id   TEXT NOT NULL,
            kind       TEXT NOT NULL,
            time_ms    INTEGER NOT NULL,
            session_id TEXT,
            subject    TEXT,
            issuer     TEXT,
            server     TEXT,
            body       BLOB,
            leaf_hash  BLOB NOT NULL
        );
        CREATE INDEX IF NOT EXISTS entries_event_id ON entries(event_id);
        CREATE INDEX IF NOT EXISTS entries_session ON entries(session_id, idx) WHERE session_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS entries_subject_time ON entries(subject, time_ms);
        CREATE INDEX IF NOT EXISTS entries_time ON entries(time_ms);
        CREATE TABLE IF NOT EXISTS checkpoints (
            id        INTEGER PRIMARY KEY,
            tree_size INTEGER NOT NULL,
            note      TEXT NOT NULL,
            signed_ms INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS legal_holds (
            scope     TEXT NOT NULL,
            value     TEXT NOT NULL,
            reason    TEXT NOT NULL,
            placed_ms INTEGER NOT NULL,
            PRIMARY KEY (scope, value)
        );
        PRAGMA user_version = 1;
        """;
}
