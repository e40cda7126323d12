namespace Proctor.Storage.Sqlite.Ledger.Index;

/// <summary>What the index keeps of one event: enough to find it, list it and purge it, never its payload.</summary>
internal sealed record IndexedEvent(long Index, string EventId, string Kind, long TimeMs, string? SessionId, string? Subject, string? Server)
{
    public bool Purged { get; init; }
}
