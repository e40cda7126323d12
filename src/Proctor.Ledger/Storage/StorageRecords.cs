using System.Buffers;
using Proctor.Ledger.Events;

namespace Proctor.Ledger.Storage;

/// <summary>
/// An event ready to be sequenced: its canonical bytes plus the columns queries filter on. The bytes are lent to the
/// store for <see cref="IEntryStore.AppendAsync"/> only: a store copies what it keeps, because the ledger gives the
/// buffer back to the pool once the append has returned (<see cref="ReturnBuffer"/>; decision 0059).
/// </summary>
public sealed record EntryDraft(string EventId, string Kind, DateTimeOffset Time, string? SessionId, string? Subject, string? Issuer, string? Server, ReadOnlyMemory<byte> CanonicalEvent)
{
    // A typical event is ~2 KB; a larger one (a big tool result) gets an array of its own, so the shared pool never
    // holds on to megabytes.
    private const int MostPooledBytes = 64 * 1024;

    // Not part of what the draft says: a copy made with `with` shares the buffer, and only the ledger returns a draft's.
    private byte[]? _pooled;

    /// <summary>The event's draft, its canonical bytes in a buffer from the shared pool when they fit one.</summary>
    public static EntryDraft From(LedgerEvent ledgerEvent)
    {
        var canonical = EventJson.Write(ledgerEvent);
        var pooled = canonical.Length <= MostPooledBytes ? ArrayPool<byte>.Shared.Rent(canonical.Length) : null;
        var bytes = pooled ?? new byte[canonical.Length];
        canonical.CopyTo(bytes);
        return new EntryDraft(ledgerEvent.Id, ledgerEvent.Kind, ledgerEvent.Time, ledgerEvent.Location?.SessionId, ledgerEvent.Actor?.Subject,
            ledgerEvent.Actor?.Issuer, ledgerEvent.Location?.Server, bytes.AsMemory(0, canonical.Length)) { _pooled = pooled };
    }

    /// <summary>Gives the canonical bytes' buffer back to the pool. The ledger calls it once the store has returned; nothing may read the draft's bytes after it.</summary>
    internal void ReturnBuffer()
    {
        if (Interlocked.Exchange(ref _pooled, null) is { } pooled)
        {
            ArrayPool<byte>.Shared.Return(pooled);
        }
    }
}

/// <summary>Where a batch was sequenced: its entries hold indexes <see cref="FirstIndex"/> onwards, with these leaf hashes, in order.</summary>
public sealed record AppendedBatch(long FirstIndex, IReadOnlyList<byte[]> LeafHashes);

/// <summary>A signed checkpoint note as stored, with the local time it was signed (also inside the note).</summary>
public sealed record StoredCheckpoint(long TreeSize, string Note, DateTimeOffset SignedAt);

/// <summary>Keeps the payloads of one session (<see cref="HoldScope.Session"/>) or one subject (<see cref="HoldScope.Subject"/>) from purges.</summary>
public sealed record LegalHold(HoldScope Scope, string Value, string Reason, DateTimeOffset PlacedAt);

public enum HoldScope
{
    Session,
    Subject,
}

public sealed record SessionQuery
{
    public string? Subject { get; init; }
    public string? Server { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public int Limit { get; init; } = 100;
}

public sealed record SessionSummary(string SessionId, string? Subject, string? Server, DateTimeOffset FirstEvent, DateTimeOffset LastEvent, long EventCount);

/// <summary>An event as a query returns it; <see cref="CanonicalEvent"/> is null once purged.</summary>
public sealed record EventRecord(long Index, string EventId, string Kind, DateTimeOffset Time, string? SessionId, byte[]? CanonicalEvent)
{
    public LedgerEvent? Parse() => CanonicalEvent is null ? null : EventJson.Parse(CanonicalEvent);
}

/// <summary>
/// An audit search over single events: every filter given must match (tool is the action's name, outcome its status).
/// <see cref="Before"/> is the cursor: only events with a smaller ledger index, as <see cref="EventPage.Next"/> gave it.
/// </summary>
public sealed record EventSearch
{
    public string? Subject { get; init; }
    public string? Server { get; init; }
    public string? Tool { get; init; }
    public string? Outcome { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public long? Before { get; init; }
    public int Limit { get; init; } = 100;
}

/// <summary>
/// Matching events, newest first. <see cref="Next"/> is the cursor for the following page, null when nothing older
/// can match; a page may be short (even empty) with a cursor when the search stopped at its scan bound.
/// </summary>
public sealed record EventPage(IReadOnlyList<EventRecord> Events, long? Next);
