using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;

namespace Proctor.Ledger.Tests.Appending;

/// <summary>
/// The base of the appending tests' stores: each commit takes the next indexes, with placeholder leaf hashes, and
/// nothing can be read back. A subclass decides how a commit behaves (slow, failing, held, recorded).
/// </summary>
internal abstract class AppendOnlyStore : IEntryStore
{
    private long _size;

    public abstract Task<AppendedBatch> AppendAsync(IReadOnlyList<EntryDraft> drafts, CancellationToken cancellationToken);

    /// <summary>The batch stored: the next <c>drafts.Count</c> indexes.</summary>
    protected AppendedBatch Sequence(IReadOnlyList<EntryDraft> drafts)
    {
        var appended = new AppendedBatch(_size, [.. drafts.Select(_ => new byte[32])]);
        _size += drafts.Count;
        return appended;
    }

    public Task<long> GetSizeAsync(CancellationToken cancellationToken) => Task.FromResult(_size);

    public Task<IReadOnlyList<LedgerEntry>> ReadEntriesAsync(long start, int count, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<byte[]>> ReadLeafHashesAsync(long start, int count, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <summary>A minimal event with an id of its own.</summary>
    public static LedgerEvent Event(int n) => new()
    {
        Id = $"0193a0b4-0000-7000-8000-{n:D12}",
        Kind = "call.request",
        Time = new DateTimeOffset(2026, 7, 28, 9, 0, 0, TimeSpan.Zero),
    };
}
