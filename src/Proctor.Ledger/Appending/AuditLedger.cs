using System.Diagnostics;
using System.Threading.Channels;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;

namespace Proctor.Ledger.Appending;

/// <summary>
/// Appends events with group commit: callers queue, one writer loop drains the queue and commits everything waiting
/// in one store transaction, so one fsync serves many calls. An append MUST NOT complete before its entry is durable;
/// if the store fails, every append of the batch fails with <see cref="LedgerUnavailableException"/> and the next
/// batch tries the store again, so the ledger recovers by itself once the cause is gone.
/// </summary>
public sealed class AuditLedger : IAsyncDisposable, ILedgerHealth
{
    private readonly IEntryStore _store;
    private readonly LedgerOptions _options;
    private readonly Channel<PendingAppend> _queue;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _placed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile LedgerHealth _health = LedgerHealth.Healthy;
    private volatile string? _writerStopped;

    public AuditLedger(IEntryStore store, LedgerOptions? options = null)
    {
        _store = store;
        _options = options ?? new LedgerOptions();
        // Synchronous continuations: an append wakes the writer's thread itself, with no thread-pool hop between.
        _queue = Channel.CreateBounded<PendingAppend>(new BoundedChannelOptions(_options.QueueCapacity) { SingleReader = true, AllowSynchronousContinuations = true });
        new Thread(WriteLoop) { IsBackground = true, Name = "Proctor ledger writer" }.Start();
    }

    /// <summary>True once the writer runs only on <see cref="LedgerOptions.WriterCpus"/>; false when none were given or the system refused them.</summary>
    public Task<bool> WriterPlaced => _placed.Task;

    /// <summary>The outcome of the last commit: a failing store stays failing until a commit succeeds again.</summary>
    public LedgerHealth Health => _health;

    /// <summary>
    /// Completes once the event is durably stored. Cancelling stops the wait only: an event already queued may still
    /// be committed, which errs on the side of the record. The event is serialized before this returns, so the caller
    /// may release what it references (LedgerRecorder returns its payload's pooled document then).
    /// </summary>
    public Task<LedgerReceipt> AppendAsync(LedgerEvent ledgerEvent, CancellationToken cancellationToken = default)
    {
        // Serializing here, on the caller's thread, keeps the single writer free for the store.
        var pending = new PendingAppend(EntryDraft.From(ledgerEvent));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw _queue.Reader.Completion.IsCompleted
                ? new LedgerUnavailableException(_writerStopped ?? "the ledger is shut down.")
                : new LedgerBusyException(_options.QueueCapacity);
        }
        return cancellationToken.CanBeCanceled ? pending.Receipt.Task.WaitAsync(cancellationToken) : pending.Receipt.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopped.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// The writer runs on a thread of its own: a commit blocks in <c>fdatasync</c>, and blocking a thread-pool worker for
    /// it took a worker from the calls on two cores.
    /// </summary>
    private void WriteLoop()
    {
        _placed.SetResult(_options.WriterCpus is { Count: > 0 } cpus && WriterPlacement.TryPinCurrentThread(cpus));

        var batch = new List<PendingAppend>(_options.MaxBatchSize);
        try
        {
            var drafts = new List<EntryDraft>(_options.MaxBatchSize);
            while (WaitToRead())
            {
                var bytes = 0L;
                while (batch.Count < _options.MaxBatchSize && bytes < _options.MaxBatchBytes && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                    drafts.Add(pending.Draft);
                    bytes += pending.Draft.CanonicalEvent.Length;
                }
                Commit(batch, drafts);
                foreach (var committed in batch)
                {
                    committed.Draft.ReturnBuffer(); // the store has returned, and copied what it keeps
                }
                batch.Clear();
                drafts.Clear();
            }
            _stopped.TrySetResult();
        }
        catch (Exception ex)
        {
            Stop(ex, batch);
        }
    }

    /// <summary>
    /// The writer failed outside a store's commit (a bug, a store breaking its contract): nothing queued may wait for it
    /// forever, so every waiting append and every later one is refused with the reason, and the health says it.
    /// </summary>
    private void Stop(Exception ex, List<PendingAppend> batch)
    {
        var reason = $"the ledger's writer stopped ({ex.GetType().Name}: {ex.Message}); restart the gateway";
        _writerStopped = reason;
        _health = new LedgerHealth(false, reason, _options.Time.GetUtcNow());
        _queue.Writer.TryComplete();
        var failure = new LedgerUnavailableException(reason, ex);
        foreach (var pending in batch)
        {
            pending.Receipt.TrySetException(failure);
        }
        while (_queue.Reader.TryRead(out var waiting))
        {
            waiting.Receipt.TrySetException(failure);
        }
        _stopped.TrySetException(ex);
    }

    private bool WaitToRead()
    {
        var ready = _queue.Reader.WaitToReadAsync();
        return ready.IsCompleted ? ready.Result : ready.AsTask().GetAwaiter().GetResult();
    }

    private void Commit(List<PendingAppend> batch, List<EntryDraft> drafts)
    {
        var metrics = _options.Metrics;
        var started = Stopwatch.GetTimestamp();
        AppendedBatch appended;
        try
        {
            appended = _store.AppendAsync(drafts, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception failure)
        {
            var reason = failure is LedgerStoreException ? failure.Message : $"{failure.GetType().Name}: {failure.Message}";
            _health = new LedgerHealth(false, reason, _options.Time.GetUtcNow());
            foreach (var pending in batch)
            {
                pending.Receipt.TrySetException(new LedgerUnavailableException(reason, failure));
            }
            metrics?.RecordCommit(started, batch.Count, succeeded: false);
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
        // Measured once every caller is answered, so that nothing a metrics listener does can hold back or lose a receipt.
        metrics?.RecordCommit(started, batch.Count, succeeded: true);
        foreach (var pending in batch)
        {
            metrics?.RecordAppend(pending.Queued);
        }
    }

    private sealed class PendingAppend(EntryDraft draft)
    {
        public EntryDraft Draft { get; } = draft;
        public long Queued { get; } = Stopwatch.GetTimestamp();
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

    /// <summary>Where commit and append times go; none when null (the CLI's short-lived ledgers).</summary>
    public LedgerMetrics? Metrics { get; init; }

    /// <summary>
    /// A batch takes no more events once their canonical bytes reach this, so a few large results (a masked 4 MB tool
    /// result is one event) do not make one commit, and one frame of the log, unboundedly large. A single larger event
    /// still commits alone.
    /// </summary>
    public int MaxBatchBytes { get; init; } = 8 << 20;

    /// <summary>
    /// The CPUs the writer's thread runs on; anywhere when null. The gateway gives the CPUs that take the ledger disk's
    /// completion interrupts when those are fewer than all (decision 0063): a commit's <c>fdatasync</c> then wakes its
    /// thread without a cross-CPU interrupt.
    /// </summary>
    public IReadOnlyList<int>? WriterCpus { get; init; }
}
