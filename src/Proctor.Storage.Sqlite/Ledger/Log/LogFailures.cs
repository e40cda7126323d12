using Proctor.Ledger.Storage;

namespace Proctor.Storage.Sqlite.Ledger.Log;

/// <summary>Turns failures of the log's files into messages that say what happened and what to do (errno values as on Linux).</summary>
internal static class LogFailures
{
    private const int NotPermitted = 1, IoError = 5, AccessDenied = 13, ReadOnlyFileSystem = 30, QuotaExceeded = 122;

    /// <summary>The explained failure, or null for anything that is not the log's I/O (a bug: let it surface as it is).</summary>
    public static LedgerStoreException? Explain(Exception failure, string folder) => failure switch
    {
        LogDamagedException or LogLockedException => new(failure.Message, failure),
        UnauthorizedAccessException => ReadOnly(failure, folder),
        IOException { HResult: LedgerLog.NoSpace or QuotaExceeded } => new($"The ledger log {folder} is full: the disk or the user's quota is exhausted ({failure.Message}). Free space; appends resume by themselves.", failure),
        IOException { HResult: ReadOnlyFileSystem or NotPermitted or AccessDenied } => ReadOnly(failure, folder),
        IOException { HResult: IoError } => new($"Disk I/O error on the ledger log {folder} ({failure.Message}): check the disk.", failure),
        IOException => new($"The ledger log {folder} failed: {failure.Message}", failure),
        _ => null,
    };

    private static LedgerStoreException ReadOnly(Exception failure, string folder) =>
        new($"The ledger log {folder} is read-only ({failure.Message}): give the gateway's user write access to the folder and its files, and clear any immutable attribute (`lsattr -d {folder}`).", failure);
}
