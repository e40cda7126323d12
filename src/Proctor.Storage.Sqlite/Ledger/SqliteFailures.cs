using Microsoft.Data.Sqlite;
using Proctor.Ledger.Storage;

namespace Proctor.Storage.Sqlite.Ledger;

/// <summary>Turns SQLite result codes into messages that say what happened and what to do.</summary>
internal static class SqliteFailures
{
    private const int Busy = 5, Locked = 6, ReadOnly = 8, IoError = 10, Full = 13, CantOpen = 14;

    public static LedgerStoreException Explain(SqliteException failure, string path, TimeSpan busyTimeout) => failure.SqliteErrorCode switch
    {
        Full => new($"The ledger database {path} is full (SQLITE_FULL): the disk or the configured size limit is exhausted. Free space; appends resume by themselves.", failure),
        ReadOnly => new($"The ledger database {path} is read-only (SQLITE_READONLY): give the gateway's user write access to the file and its directory.", failure),
        Busy or Locked => new($"The ledger database {path} stayed locked by another connection for longer than storage.lockTimeout ({busyTimeout.TotalMilliseconds:0} ms). Find the process holding it (e.g. `fuser {path}`).", failure),
        CantOpen => new($"The ledger database {path} cannot be opened (SQLITE_CANTOPEN): check that its directory exists and is writable.", failure),
        IoError => new($"Disk I/O error on the ledger database {path} (SQLITE_IOERR): check the disk.", failure),
        _ => new($"The ledger database {path} failed: {failure.Message}", failure),
    };
}
