using System.Collections.Concurrent;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;

namespace Proctor.Ledger.Appending;

/// <summary>
/// Appends events with group commit: callers queue, and one committer at a time takes everything waiting (up to a
/// batch) into one store append, so one fsync serves many calls. An append MUST NOT complete before its entry is
/// durable; if the store fails, every append of the batch fails with <see cref="LedgerUnavailableException"/> and the
/// next batch tries the store again, so the ledger recovers by itself once the cause is gone.
/// <para>
/// The committer is whoever finds nobody committing: usually the appending caller itself, which commits the waiting
/// batch (its own event included) on its own thread and goes on without a hand-off to a writer thread and back — the
/// two thread wake-ups per commit that dominated a lone call's latency (docs/PERFORMANCE.md, issue 13). Appends that
/// arrive meanwhile wait; when the committer is done with its own, a pool thread drains them in batches.
/// </para>
/// </summary>
public sealed class AuditLedger : IAsyncDisposable, ILedgerHealth
{
    private static readonly string ShutDownReason = "the ledger is shut down.";

    private readonly IEntryStore _store;
    private readonly LedgerOptions _options;
    private readonly ConcurrentQueue<PendingAppend> _waiting = new();
    // Only the holder of _committing touches these.
    private readonly List<PendingAppend> _batch;
    private readonly List<EntryDraft> _drafts;
    private int _queued;     // appends waiting, not yet in a batch: bounded by QueueCapacity, because clients are untrusted
    private int _committing; // 1 while someone takes and commits batches: one batch at a time, in queue order
    private int _closed;     // 1 once disposal has committed the last batch; the commit is then held for good
    private volatile bool _refusing;
    private volatile LedgerHealth _health = LedgerHealth.Healthy;

    public AuditLedger(IEntryStore store, LedgerOptions? options = null)
    {
        _store = store;
        _options = options ?? new LedgerOptions();
        _batch = new List<PendingAppend>(_options.MaxBatchSize);
        _drafts = new List<EntryDraft>(_options.MaxBatchSize);
    }

    /// <summary>The outcome of the last commit: a failing store stays failing until a commit succeeds again.</summary>
    public LedgerHealth Health => _health;

    /// <summary>
    /// Completes once the event is durably stored. Cancelling stops the wait only: an event already queued may still
    /// be committed, which errs on the side of the record; a caller that commits its own batch finishes that commit.
    /// </summary>
    public async Task<LedgerReceipt> AppendAsync(LedgerEvent ledgerEvent, CancellationToken cancellationToken = default)
    {
        if (_refusing)
        {
            throw new LedgerUnavailableException(ShutDownReason);
        }

        // Serializing here, on the caller's thread, keeps the commit itself short.
        var pending = new PendingAppend(EntryDraft.From(ledgerEvent));
        if (Interlocked.Increment(ref _queued) > _options.QueueCapacity)
        {
            Interlocked.Decrement(ref _queued);
            throw new LedgerBusyException(_options.QueueCapacity);
        }

        _waiting.Enqueue(pending);
        if (TryTakeCommit())
        {
            try
            {
                // Our event is in the queue until a committer takes it, and we are the committer now.
                while (!pending.Receipt.Task.IsCompleted && await CommitBatchAsync().ConfigureAwait(false))
                {
                }
            }
            finally
            {
                ReleaseCommit();
            }
        }
        else if (Volatile.Read(ref _closed) == 1)
        {
            FailWaiting(); // queued after disposal committed its last batch: nobody will commit it
        }

        return await (cancellationToken.CanBeCanceled ? pending.Receipt.Task.WaitAsync(cancellationToken) : pending.Receipt.Task).ConfigureAwait(false);
    }

    /// <summary>Refuses new appends, commits every one already queued, then holds the commit so that nothing commits after.</summary>
    public async ValueTask DisposeAsync()
    {
        _refusing = true;
        while (!TryTakeCommit())
        {
            await Task.Delay(1).ConfigureAwait(false); // a committer is finishing its batch (one fsync)
        }

        while (await CommitBatchAsync().ConfigureAwait(false))
        {
        }

        Interlocked.Exchange(ref _closed, 1);
        FailWaiting();
    }

    private bool TryTakeCommit() => Interlocked.CompareExchange(ref _committing, 1, 0) == 0;

    /// <summary>Lets the commit go; appends that queued meanwhile are drained on a pool thread, so none waits for a next caller.</summary>
    private void ReleaseCommit()
    {
        Interlocked.Exchange(ref _committing, 0);
        // Full fence above: an append that failed to take the commit before this sees its event drained here.
        if (!_waiting.IsEmpty && TryTakeCommit())
        {
            _ = Task.Run(DrainAsync);
        }
    }

    private async Task DrainAsync()
    {
        try
        {
            while (await CommitBatchAsync().ConfigureAwait(false))
            {
            }
        }
        finally
        {
            ReleaseCommit();
        }
    }

    private void FailWaiting()
    {
        while (_waiting.TryDequeue(out var pending))
        {
            Interlocked.Decrement(ref _queued);
            pending.Receipt.TrySetException(new LedgerUnavailableException(ShutDownReason));
        }
    }

    /// <summary>Takes the next batch off the queue and commits it; false when nothing was waiting.</summary>
    private async Task<bool> CommitBatchAsync()
    {
        var bytes = 0L;
        while (_batch.Count < _options.MaxBatchSize && bytes < _options.MaxBatchBytes && _waiting.TryDequeue(out var pending))
        {
            Interlocked.Decrement(ref _queued);
            _batch.Add(pending);
            _drafts.Add(pending.Draft);
            bytes += pending.Draft.CanonicalEvent.Length;
        }

        if (_batch.Count == 0)
        {
            return false;
        }

        try
        {
            await CommitAsync(_batch, _drafts).ConfigureAwait(false);
        }
        finally
        {
            _batch.Clear();
            _drafts.Clear();
        }

        return true;
    }

    private async Task CommitAsync(List<PendingAppend> batch, List<EntryDraft> drafts)
    {
        AppendedBatch appended;
        try
        {
            appended = await _store.AppendAsync(drafts, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            var reason = failure is LedgerStoreException ? failure.Message : $"{failure.GetType().Name}: {failure.Message}";
            _health = new LedgerHealth(false, reason, _options.Time.GetUtcNow());
            foreach (var pending in batch)
            {
                pending.Receipt.TrySetException(new LedgerUnavailableException(reason, failure));
            }
            return;
        }
        if (!_health.Writable)
        {
            _health = LedgerHealth.Healthy;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Receipt.TrySetResult(new LedgerReceipt(appended.FirstIndex + i, batch[i].Draft.EventId, appended.LeafHashes[i]));
        }
    }

    private sealed class PendingAppend(EntryDraft draft)
    {
        public EntryDraft Draft { get; } = draft;

        // Asynchronous continuations: the committer MUST NOT run the other callers' calls on its own thread.
        public TaskCompletionSource<LedgerReceipt> Receipt { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>Proof that an event is durably in the ledger at <see cref="Index"/>.</summary>
public sealed record LedgerReceipt(long Index, string EventId, byte[] LeafHash);

public sealed record LedgerOptions
{
    /// <summary>Appends that may wait for the writer before callers get <see cref="LedgerBusyException"/>: bounded because clients are untrusted.</summary>
    public int QueueCapacity { get; init; } = 16_384;

    /// <summary>Most entries per transaction; at ~1 KB each this keeps one transaction's write near 1 MB.</summary>
    public int MaxBatchSize { get; init; } = 1_024;

    /// <summary>The clock of <see cref="LedgerHealth.FailedAt"/>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>
    /// A batch takes no more events once their canonical bytes reach this, so a few large results (a masked 4 MB tool
    /// result is one event) do not make one commit, and one frame of the log, unboundedly large. A single larger event
    /// still commits alone.
    /// </summary>
    public int MaxBatchBytes { get; init; } = 8 << 20;
}
