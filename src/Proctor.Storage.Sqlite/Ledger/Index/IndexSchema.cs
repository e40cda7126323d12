namespace Proctor.Storage.Sqlite.Ledger.Index;

/// <summary>
/// The ledger's tables in the SQLite database, versioned with PRAGMA user_version. Version 2: entries live in the log
/// (docs/ledger.md, "On-disk format"); the database keeps what queries need, filled from the log off the append path
/// (<see cref="LedgerIndexer"/>), and the checkpoints and legal holds. Version 1 kept every entry in the database;
/// <see cref="Migration.SchemaV1Migration"/> moves such a ledger into a log.
/// </summary>
internal static class IndexSchema
{
    public const int Version = 2;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS ledger_frames (
            first_idx INTEGER PRIMARY KEY,
            count     INTEGER NOT NULL,
            segment   INTEGER NOT NULL,
            offset    INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS ledger_events (
            first_idx  INTEGER NOT NULL,
            last_idx   INTEGER NOT NULL,
            session_id TEXT,
            subject    TEXT,
            server     TEXT,
            first_ms   INTEGER NOT NULL,
            last_ms    INTEGER NOT NULL,
            min_id     BLOB NOT NULL,
            max_id     BLOB NOT NULL,
            count      INTEGER NOT NULL,
            kept       INTEGER NOT NULL,
            events     BLOB NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ledger_events_session ON ledger_events(session_id, first_idx) WHERE session_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS ledger_events_time ON ledger_events(first_ms);
        CREATE INDEX IF NOT EXISTS ledger_events_id ON ledger_events(min_id);
        CREATE INDEX IF NOT EXISTS ledger_events_last ON ledger_events(last_idx);
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
        PRAGMA user_version = 2;
        """;
}
