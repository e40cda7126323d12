using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Proctor.Mcp.Tasks;

/// <summary>
/// Which caller created which task (decision 0043). A task id is bound, when the tools/call answer that created it
/// passes the gateway, to the caller's identity (<see cref="Pipeline.Caller.Key"/>) and the upstream that made it;
/// a tasks/* request reaches the upstream only if the same caller names a task bound on that upstream. Another
/// caller finds nothing, exactly as for a task that never existed, so a task id reveals nothing to anyone else.
/// Bindings live in memory for the task's announced time to live (capped), and the store is bounded. Public because
/// the dispatcher also reads it, to route a task request on <c>/mcp</c> to the server that holds the task.
/// </summary>
public sealed partial class TaskBindings(TimeProvider time, ILogger<TaskBindings> logger)
{
    /// <summary>A task that announces no time to live (2025-11-25's <c>ttl: null</c>) or a longer one is reachable for a day.</summary>
    public static readonly TimeSpan LongestLife = TimeSpan.FromDays(1);

    /// <summary>
    /// At most this many live tasks across all callers; about 300 bytes each, so some 30 MB at worst. Creating more
    /// is refused (the answer is withheld with an error) rather than forgetting tasks their callers still expect.
    /// </summary>
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<(string CallerKey, string TaskId), TaskBinding> bindings = new();

    public int Count => bindings.Count;

    /// <summary>Binds a created task to its caller; the outcome says whether the caller may be given its id.</summary>
    public BindOutcome Bind(string callerKey, string upstream, string tool, string taskId, long? ttlMs)
    {
        var now = time.GetUtcNow();
        var life = ttlMs is > 0 && ttlMs < (long)LongestLife.TotalMilliseconds ? TimeSpan.FromMilliseconds(ttlMs.Value) : LongestLife;
        var binding = new TaskBinding(callerKey, taskId, upstream, tool, now + life);
        if (bindings.Count >= Capacity && Sweep(now) == 0 && bindings.Count >= Capacity)
        {
            Log.Full(logger, Capacity, upstream);
            return BindOutcome.Full;
        }

        var kept = bindings.AddOrUpdate((callerKey, taskId), binding, (_, existing) =>
            existing.Upstream == upstream || existing.Expires <= now ? binding : existing);
        if (!ReferenceEquals(kept, binding))
        {
            Log.Conflict(logger, upstream, kept.Upstream);
            return BindOutcome.Conflict;
        }

        Log.Bound(logger, upstream, tool);
        return BindOutcome.Bound;
    }

    /// <summary>The caller's task of that id, if it is still within its time to live; null for anyone else's.</summary>
    public TaskBinding? Find(string callerKey, string taskId)
    {
        if (!bindings.TryGetValue((callerKey, taskId), out var binding))
        {
            return null;
        }

        if (binding.Expires > time.GetUtcNow())
        {
            return binding;
        }

        bindings.TryRemove(new KeyValuePair<(string, string), TaskBinding>((callerKey, taskId), binding));
        return null;
    }

    private int Sweep(DateTimeOffset now)
    {
        var removed = 0;
        foreach (var (key, binding) in bindings)
        {
            if (binding.Expires <= now && bindings.TryRemove(new KeyValuePair<(string, string), TaskBinding>(key, binding)))
            {
                removed++;
            }
        }

        return removed;
    }

    private static partial class Log
    {
        // Task ids are not logged: they are the only thing standing between a task and a caller who learns its id.
        [LoggerMessage(EventId = 3230, Level = LogLevel.Debug, Message = "A task created by tool {Tool} on upstream {Upstream} was bound to its caller")]
        public static partial void Bound(ILogger logger, string upstream, string tool);

        [LoggerMessage(EventId = 3231, Level = LogLevel.Warning, Message = "The gateway already holds {Capacity} live tasks; a task created on upstream {Upstream} was withheld from its caller (reason task.too_many). Tasks are released when their time to live passes")]
        public static partial void Full(ILogger logger, int capacity, string upstream);

        [LoggerMessage(EventId = 3232, Level = LogLevel.Warning, Message = "Upstream {Upstream} answered with a task id this caller already holds on upstream {Holder}; the answer was withheld (reason task.id_conflict). An upstream that reuses another's task ids may be trying to capture that caller's task requests")]
        public static partial void Conflict(ILogger logger, string upstream, string holder);
    }
}

public enum BindOutcome
{
    Bound,
    Full,
    Conflict,
}
