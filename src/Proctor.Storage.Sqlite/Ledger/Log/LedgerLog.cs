namespace Proctor.Storage.Sqlite.Ledger.Log;

/// <summary>
/// The ledger's commit point: an append-only log of CRC-framed batches in preallocated segment files
/// (docs/ledger.md, "On-disk format"). A batch is one frame, written with one <c>pwrite</c> and made durable with one
/// <c>fdatasync</c> under the writer lock; nothing else is written on the append path. A torn frame at the end (a
/// writer that died mid-write never acknowledged it) is cut by the next writer; bytes that fail their checksum with
/// valid frames after them are damage, which is reported and never cut.
/// </summary>
internal sealed partial class LedgerLog : IDisposable
{
    private readonly LogFolder _folder;
    private readonly LogOptions _options;
    private readonly Func<long> _signedSize;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LogLock? _lock;
    private volatile int _holder;

    private LogLock? OpenLock(bool exclusive)
    {
        try
        {
            _folder.Create();
            return LogLock.Open(_folder.LockPath, create: true);
        }
        catch (Exception ex) when (!exclusive && ex is IOException or UnauthorizedAccessException)
        {
            return File.Exists(_folder.LockPath) ? LogLock.Open(_folder.LockPath, create: false) : null;
        }
    }

    /// <param name="signedSize">The size of the latest signed checkpoint: records it covers were durable when it was signed, so failing bytes there are damage, never a torn write.</param>
    public LedgerLog(string folder, LogOptions options, Func<long> signedSize)
    {
        _folder = new LogFolder(folder);
        _options = options;
        _signedSize = signedSize;
    }

    public string Folder => _folder.Path;

    /// <summary>Tests only: creating a segment that would take the log's files past this many bytes fails as a full disk does.</summary>
    internal long? CapacityBytes { get; set; }

    /// <summary>
    /// Makes the log ready to append: creates it if new, redoes an interrupted purge, finds the end and cuts a torn tail.
    /// What was cut is in <see cref="Cuts"/>. Throws <see cref="LogDamagedException"/> when the log is damaged.
    /// </summary>
    public void Open()
    {
        _folder.Create();
        WithLock(exclusive: true, () => Recover());
    }

    /// <summary>
    /// Runs <paramref name="work"/> holding the writer lock, waiting for it up to the configured timeout. Callers in this
    /// process queue on a semaphore first: flock(2) belongs to the open file, so two threads sharing it would not exclude
    /// each other, and a shared request would weaken an exclusive one.
    /// </summary>
    private T WithLock<T>(bool exclusive, Func<T> work)
    {
        if (_holder == Environment.CurrentManagedThreadId)
        {
            return work(); // already held by this thread (a read under the lock that meets a record to read again)
        }
        if (!_gate.Wait(_options.LockTimeout))
        {
            throw new LogLockedException(_folder.LockPath, _options.LockTimeout);
        }
        try
        {
            var held = _lock ??= OpenLock(exclusive);
            if (held is null)
            {
                return work(); // a reader of a folder it cannot write: no writer can be at work there either
            }
            if (!held.TryEnter(exclusive, _options.LockTimeout))
            {
                throw new LogLockedException(_folder.LockPath, _options.LockTimeout);
            }
            _holder = Environment.CurrentManagedThreadId;
            try
            {
                return work();
            }
            finally
            {
                _holder = 0;
                held.Exit();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deletes every segment and any purge journal: only for <see cref="Migration.SchemaV1Migration"/>, whose copy starts from nothing.</summary>
    public void Clear()
    {
        _folder.Create();
        WithLock(exclusive: true, () =>
        {
            _writer?.Active.Dispose();
            _writer = null;
            foreach (var first in _folder.ListSegments())
            {
                File.Delete(_folder.SegmentPath(first));
            }
            File.Delete(_folder.JournalPath);
            lock (_hints)
            {
                _cursor = null;
            }
        });
    }

    private void WithLock(bool exclusive, Action work) => WithLock(exclusive, () =>
    {
        work();
        return 0;
    });

    /// <summary>
    /// A segment opened for one read operation. Not kept open between operations: a file replaced behind this process's
    /// back (restored, or tampered with) is then what the next read sees.
    /// </summary>
    private Segment ReadSegment(long firstIndex) => Segment.Open(_folder.SegmentPath(firstIndex), firstIndex, write: false);

    public void Dispose()
    {
        _writer?.Active.Dispose();
        _writer = null;
        DropSpare();
        _lock?.Dispose();
        _lock = null;
    }
}

internal sealed record LogOptions
{
    /// <summary>Size of the first segment; each next one doubles, up to <see cref="MaxSegmentBytes"/>. Small ledgers stay small.</summary>
    public long FirstSegmentBytes { get; init; } = 1 << 20;

    /// <summary>At ~150 bytes per event in batches this holds about 400,000 events; a frame larger than this gets a segment of its own size.</summary>
    public long MaxSegmentBytes { get; init; } = 64 << 20;

    /// <summary>How long an append waits for another process holding the writer lock before the batch is refused.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>Another process held the log's writer lock for longer than the timeout.</summary>
internal sealed class LogLockedException(string lockPath, TimeSpan timeout)
    : IOException($"The ledger log stayed locked by another process for longer than storage.lockTimeout ({timeout.TotalMilliseconds:0} ms): its writer lock {lockPath} is held. Find the process with `fuser {lockPath}`.");

/// <summary>The log holds bytes that fail their checksum but are not a torn end: edited or damaged on disk.</summary>
internal sealed class LogDamagedException(long index, string message) : IOException(message)
{
    public long Index { get; } = index;
}
