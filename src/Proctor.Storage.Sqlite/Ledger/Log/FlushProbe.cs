using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.Win32.SafeHandles;
using Proctor.Ledger.Appending;

namespace Proctor.Storage.Sqlite.Ledger.Log;

/// <summary>
/// How long the disk under a ledger takes to make one commit durable, measured as the log's writer commits: a record
/// of a typical frame's size written into a zero-filled file in the same folder, then <c>fdatasync</c>, on the CPUs
/// the gateway would place its writer on. Written here because the figure that matters is this disk's, with this
/// file system, as the writer sees it; no general disk benchmark measures a small write and its flush that way.
/// </summary>
public static class FlushProbe
{
    /// <summary>The length of one commit at one call at a time: one event, compressed, framed (646–743 bytes measured).</summary>
    public const int RecordBytes = 700;

    // The scratch file is zero-filled like a segment, so the writes land on allocated blocks and the flush carries no
    // file-system metadata; small enough to fill in a moment, large enough not to wrap in a normal run.
    internal const long ScratchBytes = 16L << 20;

    /// <summary>
    /// Commits for <paramref name="duration"/> in each of <paramref name="pauses"/> (the pause between one commit's end and
    /// the next one's start; zero is back to back), on a thread of its own placed on <paramref name="cpus"/> when given.
    /// The scratch file is removed afterwards, whatever happens. Throws <see cref="IOException"/> when the folder cannot
    /// take it (missing, read-only mount, full) and <see cref="UnauthorizedAccessException"/> when its modes forbid it.
    /// </summary>
    public static IReadOnlyList<FlushLatency> Measure(string folder, IReadOnlyList<TimeSpan> pauses, TimeSpan duration, IReadOnlyList<int>? cpus, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<FlushLatency>? measured = null;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                var placed = cpus is { Count: > 0 } && WriterPlacement.TryPinCurrentThread(cpus);
                measured = MeasureHere(folder, pauses, duration, placed ? cpus : null, cancellationToken);
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
        }) { IsBackground = true, Name = "Proctor flush probe" };
        thread.Start();
        thread.Join();
        failure?.Throw(); // with the measuring thread's stack
        return measured!;
    }

    private static List<FlushLatency> MeasureHere(string folder, IReadOnlyList<TimeSpan> pauses, TimeSpan duration, IReadOnlyList<int>? placedOn, CancellationToken cancellationToken)
    {
        // Named as the log names a spare segment: one left behind by a killed run is removed by the gateway's next start.
        var path = new LogFolder(folder).SparePath();
        var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        try
        {
            using (file)
            {
                return CommitInEachPattern(file, path, pauses, duration, placedOn, cancellationToken);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static List<FlushLatency> CommitInEachPattern(SafeFileHandle file, string path, IReadOnlyList<TimeSpan> pauses, TimeSpan duration, IReadOnlyList<int>? placedOn, CancellationToken cancellationToken)
    {
        var zeros = new byte[1 << 20];
        for (var offset = 0L; offset < ScratchBytes; offset += zeros.Length)
        {
            RandomAccess.Write(file, zeros, offset);
        }
        Posix.DataSync(file, path);

        var record = new byte[RecordBytes];
        Random.Shared.NextBytes(record);
        var next = 0L;
        var results = new List<FlushLatency>(pauses.Count);
        foreach (var pause in pauses)
        {
            var samples = new List<double>();
            var pauseTicks = (long)(pause.TotalSeconds * Stopwatch.Frequency);
            var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < end && !cancellationToken.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                RandomAccess.Write(file, record, next);
                Posix.DataSync(file, path);
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                next = NextOffset(next);
                // Busy, not asleep: a sleep's own wake-up would be measured as the disk's.
                var resume = Stopwatch.GetTimestamp() + pauseTicks;
                while (Stopwatch.GetTimestamp() < resume)
                {
                    Thread.SpinWait(16);
                }
            }
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(FlushLatency.Of(pause, samples, placedOn));
        }
        return results;
    }

    /// <summary>Where the record after the one at <paramref name="offset"/> goes: the next slot if a whole record fits there, else the start.</summary>
    internal static long NextOffset(long offset) => offset + 2 * RecordBytes > ScratchBytes ? 0 : offset + RecordBytes;
}

/// <summary>One pattern's commits: how many, and their durations' percentiles in microseconds.</summary>
/// <param name="PlacedOn">The CPUs the measuring thread ran on; null when anywhere.</param>
public sealed record FlushLatency(TimeSpan Pause, int Commits, double P50, double P90, double P99, double Max, IReadOnlyList<int>? PlacedOn)
{
    /// <summary>The percentiles of <paramref name="microseconds"/>, which it sorts in place.</summary>
    internal static FlushLatency Of(TimeSpan pause, List<double> microseconds, IReadOnlyList<int>? placedOn)
    {
        if (microseconds.Count == 0)
        {
            return new FlushLatency(pause, 0, 0, 0, 0, 0, placedOn);
        }

        microseconds.Sort();
        double At(double share) => microseconds[Math.Min(microseconds.Count - 1, (int)(share * microseconds.Count))];
        return new FlushLatency(pause, microseconds.Count, At(0.50), At(0.90), At(0.99), microseconds[^1], placedOn);
    }
}
