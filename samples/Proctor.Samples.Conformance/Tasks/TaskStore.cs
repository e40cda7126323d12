using System.Collections.Concurrent;
using ModelContextProtocol;

namespace Proctor.Samples.Conformance.Tasks;

/// <summary>
/// The tasks this fixture holds, in memory, each kept for its time to live and no longer. The
/// store is bounded: a client that creates tasks faster than they expire is refused rather than
/// allowed to grow the process without limit.
/// </summary>
internal sealed class TaskStore(TimeProvider time)
{
    /// <summary>Ten minutes: far longer than any suite scenario polls (10 s at most).</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(10);

    /// <summary>The suite creates about 25 tasks per run; 1,000 leaves room for many runs within one TTL.</summary>
    private const int Capacity = 1_000;

    private readonly ConcurrentDictionary<string, FixtureTask> tasks = new(StringComparer.Ordinal);

    public FixtureTask Create()
    {
        var now = time.GetUtcNow();
        foreach (var (id, task) in tasks)
        {
            if (task.IsExpired(now) && tasks.TryRemove(id, out var expired))
            {
                expired.Cancel();
            }
        }

        if (tasks.Count >= Capacity)
        {
            throw new McpProtocolException(
                $"This server already holds {Capacity} tasks; wait for some to expire ({TimeToLive.TotalMinutes} minutes after creation) or cancel them.",
                McpErrorCode.InternalError);
        }

        var created = new FixtureTask(Guid.NewGuid().ToString("N"), time, TimeToLive);
        tasks[created.Id] = created;
        return created;
    }

    /// <summary>The task, or -32602 as SEP-2663 reserves for a task id the server does not know.</summary>
    public FixtureTask Find(string? taskId)
    {
        if (taskId is not null && tasks.TryGetValue(taskId, out var task) && !task.IsExpired(time.GetUtcNow()))
        {
            return task;
        }

        throw new McpProtocolException($"Unknown task '{taskId}': it never existed here or its time to live has passed.", McpErrorCode.InvalidParams);
    }
}
