using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Proctor.Gateway.Lifecycle;

/// <summary>
/// Work the gateway starts with no caller waiting for it (the housekeeping of a closed session). Every piece is
/// tracked until it ends, so that a shutdown waits for it before stopping the upstreams and the ledger it needs;
/// none is fire-and-forget. A piece that fails is logged; it never goes unobserved.
/// </summary>
internal sealed partial class BackgroundWork(ILogger<BackgroundWork> logger)
{
    private readonly ConcurrentDictionary<Task, string> _running = new();

    public int Running => _running.Count;

    public void Run(string what, Func<Task> work)
    {
        var task = RunLoggedAsync(what, work);
        if (task.IsCompleted)
        {
            return;
        }

        _running[task] = what;
        task.ContinueWith(static (done, state) => ((ConcurrentDictionary<Task, string>)state!).TryRemove(done, out _), _running, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Waits for the work started so far, at most <paramref name="limit"/>; returns what is still running then.</summary>
    public async Task<IReadOnlyList<string>> WaitAsync(TimeSpan limit, TimeProvider time)
    {
        var pending = _running.Keys.ToArray();
        try
        {
            await Task.WhenAll(pending).WaitAsync(limit, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        return [.. _running.Values];
    }

    private async Task RunLoggedAsync(string what, Func<Task> work)
    {
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.Failed(logger, what, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2430, Level = LogLevel.Error, Message = "Background work failed: {What}")]
        public static partial void Failed(ILogger logger, string what, Exception exception);
    }
}
