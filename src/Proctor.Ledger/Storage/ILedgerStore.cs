namespace Proctor.Ledger.Storage;

/// <summary>
/// Where the ledger lives. Designed for several gateway nodes over one PostgreSQL (docs/ledger.md, "Several nodes"):
/// any node appends (stages and sequences a batch in one short transaction), and only the node holding the
/// integrator lease builds the tree and stores checkpoints. A single-node store grants the lease to itself.
/// Implementations throw on any failure; the ledger turns that into a refusal, never into a lost record.
/// </summary>
public interface ILedgerStore : IEntryStore, ICheckpointStore, IRetentionStore, IEventQueries, IAsyncDisposable;

public interface IEntryStore
{
    /// <summary>
    /// Assigns the next consecutive indexes to the drafts, in order, and persists <see cref="LedgerEntry.Seal"/> of each
    /// with its columns. MUST be atomic (all or none) and MUST NOT return before the batch is durable. The drafts' bytes
    /// are lent for this call only (<see cref="EntryDraft"/>): copy what is kept.
    /// </summary>
    Task<AppendedBatch> AppendAsync(IReadOnlyList<EntryDraft> drafts, CancellationToken cancellationToken);

    /// <summary>One past the highest stored index.</summary>
    Task<long> GetSizeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="count"/> stored entries with index ≥ <paramref name="start"/>, by index, as stored (gaps show
    /// as gaps). Throws <see cref="LedgerDamagedException"/> when the next stored record cannot be read at all.
    /// </summary>
    Task<IReadOnlyList<LedgerEntry>> ReadEntriesAsync(long start, int count, CancellationToken cancellationToken);

    /// <summary>Leaf hashes of indexes [start, start+count), by index.</summary>
    Task<IReadOnlyList<byte[]>> ReadLeafHashesAsync(long start, int count, CancellationToken cancellationToken);
}

public interface ICheckpointStore
{
    /// <summary>True if this node may integrate and sign until the lease expires; renewing is acquiring again.</summary>
    Task<bool> TryAcquireIntegratorLeaseAsync(string node, TimeSpan duration, CancellationToken cancellationToken);

    Task AddCheckpointAsync(StoredCheckpoint checkpoint, CancellationToken cancellationToken);

    Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken cancellationToken);

    /// <summary>Every checkpoint, oldest first.</summary>
    Task<IReadOnlyList<StoredCheckpoint>> ReadCheckpointsAsync(CancellationToken cancellationToken);
}

public interface IRetentionStore
{
    Task AddHoldAsync(LegalHold hold, CancellationToken cancellationToken);

    Task<IReadOnlyList<LegalHold>> ReadHoldsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Drops the bytes (and identifying columns) of entries older than <paramref name="before"/> and sequenced below
    /// <paramref name="belowIndex"/> (the purge's own event) that no hold covers, keeping index and leaf hash so the
    /// tree still verifies. Returns how many entries were purged.
    /// </summary>
    Task<long> PurgeAsync(DateTimeOffset before, long belowIndex, CancellationToken cancellationToken);

    /// <summary>How many entries <see cref="PurgeAsync"/> would purge now.</summary>
    Task<long> CountPurgeableAsync(DateTimeOffset before, CancellationToken cancellationToken);
}

public interface IEventQueries
{
    Task<IReadOnlyList<SessionSummary>> ListSessionsAsync(SessionQuery query, CancellationToken cancellationToken);

    /// <summary>The events of one session in ledger order.</summary>
    Task<IReadOnlyList<EventRecord>> ReadSessionAsync(string sessionId, CancellationToken cancellationToken);

    Task<EventRecord?> FindEventAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>
    /// The indexes a period spans: [smallest index of an event at or after <paramref name="from"/>, one past the largest
    /// index of an event before <paramref name="to"/>); both equal to the store's size when no event falls in the period.
    /// </summary>
    Task<(long First, long End)> FindPeriodAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>
    /// The last checkpoint signed over at most <paramref name="treeSize"/> entries (<paramref name="atMost"/>), or the first
    /// over at least that many; null when there is none.
    /// </summary>
    Task<StoredCheckpoint?> FindCheckpointAsync(long treeSize, bool atMost, CancellationToken cancellationToken);

    /// <summary>The first checkpoint signed in each <paramref name="spacing"/> of [<paramref name="from"/>, <paramref name="to"/>), oldest first.</summary>
    Task<IReadOnlyList<StoredCheckpoint>> ReadCheckpointsSignedAsync(DateTimeOffset from, DateTimeOffset to, TimeSpan spacing, CancellationToken cancellationToken);

    /// <summary>
    /// The events matching <paramref name="search"/>, newest first, at most its limit, each page bounded in what it reads
    /// (a page that reaches the bound returns early with a cursor).
    /// </summary>
    Task<EventPage> SearchEventsAsync(EventSearch search, CancellationToken cancellationToken);
}
