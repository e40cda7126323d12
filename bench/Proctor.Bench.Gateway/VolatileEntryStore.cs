using Proctor.Ledger.Log;
using Proctor.Ledger.Storage;

namespace Proctor.Bench.Gateway;

/// <summary>
/// NOT DURABLE: benchmarks only. Sequences a batch and builds its frame exactly as the log does (entry bytes, leaf
/// hashes, compression, CRC), then drops the frame instead of writing it, syncing it and handing it to the index. What
/// this saves against the durable store is the cost of durability: the write, the <c>fdatasync</c>, the index.
/// </summary>
internal sealed class VolatileEntryStore : IEntryStore
{
    private readonly FrameBuilder _builder = new();
    private readonly Lock _gate = new();
    private long _size;

    public Task<AppendedBatch> AppendAsync(IReadOnlyList<EntryDraft> drafts, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var first = _size;
            var leaves = new byte[drafts.Count][];
            _builder.Begin(first);
            for (var i = 0; i < drafts.Count; i++)
            {
                leaves[i] = _builder.AddEvent(drafts[i].CanonicalEvent.Span);
            }
            _ = _builder.Finish();
            _size += drafts.Count;
            return Task.FromResult(new AppendedBatch(first, leaves));
        }
    }

    public Task<long> GetSizeAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_size);
        }
    }

    public Task<IReadOnlyList<LedgerEntry>> ReadEntriesAsync(long start, int count, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LedgerEntry>>([]);

    public Task<IReadOnlyList<byte[]>> ReadLeafHashesAsync(long start, int count, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<byte[]>>([]);
}
