namespace Proctor.Ledger.Storage;

/// <summary>The ledger could not durably record an event: the caller MUST refuse the action it was about to record.</summary>
public class LedgerUnavailableException(string reason, Exception? inner = null)
    : Exception($"The audit ledger is unavailable, so the action was refused: {reason}", inner)
{
    public string Reason { get; } = reason;
}

/// <summary>Too many appends are waiting: back off and retry; the store itself is healthy.</summary>
public sealed class LedgerBusyException(int capacity)
    : LedgerUnavailableException($"{capacity} appends are already waiting for the store; retry shortly.");

/// <summary>A store failure with a message that says what to do; stores throw it so operators read a cause, not an error code.</summary>
public sealed class LedgerStoreException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A stored record cannot be read back (its checksum fails, or it does not decode) although records follow it: it was
/// edited or damaged on disk. <see cref="Index"/> is the first index it should hold.
/// </summary>
public sealed class LedgerDamagedException(long index, string message) : Exception(message)
{
    public long Index { get; } = index;
}
