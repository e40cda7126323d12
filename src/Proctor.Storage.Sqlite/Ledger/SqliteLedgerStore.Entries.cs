using Proctor.Ledger.Log;
using Proctor.Ledger.Storage;
using Proctor.Storage.Sqlite.Ledger.Index;
using Proctor.Storage.Sqlite.Ledger.Log;

namespace Proctor.Storage.Sqlite.Ledger;

public sealed partial class SqliteLedgerStore
{
    // One frame is built at a time: the log's writer lock serializes appends, and the builder runs inside it.
    private readonly FrameBuilder _builder = new();

    /// <summary>
    /// One frame for the batch, durable before this returns; the index learns of it afterwards, off this path. Runs on
    /// the caller's thread (the ledger's single writer), which waits in <c>fdatasync</c>.
    /// </summary>
    public Task<AppendedBatch> AppendAsync(IReadOnlyList<EntryDraft> drafts, CancellationToken cancellationToken)
    {
        var leaves = new byte[drafts.Count][];
        var frame = Explained(() => _log.Append(first =>
        {
            _builder.Begin(first);
            for (var i = 0; i < drafts.Count; i++)
            {
                leaves[i] = _builder.AddEvent(drafts[i].CanonicalEvent.Span);
            }
            return _builder.Finish();
        }, drafts.Count));
        _indexer.Feed(frame, drafts);
        return Task.FromResult(new AppendedBatch(frame.FirstIndex, leaves));
    }

    public Task<long> GetSizeAsync(CancellationToken cancellationToken) => Task.FromResult(Explained(_log.Size));

    public async Task<IReadOnlyList<LedgerEntry>> ReadEntriesAsync(long start, int count, CancellationToken cancellationToken)
    {
        var hint = await LocateAsync(start, cancellationToken).ConfigureAwait(false);
        return Read(() => _log.ReadEntries(start, count, _ => hint));
    }

    public async Task<IReadOnlyList<byte[]>> ReadLeafHashesAsync(long start, int count, CancellationToken cancellationToken)
    {
        var hint = await LocateAsync(start, cancellationToken).ConfigureAwait(false);
        return Read(() => _log.ReadLeafHashes(start, count, _ => hint));
    }

    /// <summary>Where the index says the frame at or before <paramref name="index"/> is; a hint the log checks.</summary>
    private Task<FrameLocation?> LocateAsync(long index, CancellationToken cancellationToken) =>
        RunAsync((connection, _) => Task.FromResult(IndexTables.LocateFrame(connection, index)), cancellationToken);

    /// <summary>A read of the log; a damaged record becomes <see cref="LedgerDamagedException"/>, which the verifier reports at its index.</summary>
    private T Read<T>(Func<T> read)
    {
        try
        {
            return Explained(read);
        }
        catch (LedgerStoreException ex) when (ex.InnerException is LogDamagedException damaged)
        {
            throw new LedgerDamagedException(damaged.Index, damaged.Message);
        }
    }
}
