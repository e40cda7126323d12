using System.Collections.Concurrent;

namespace Proctor.Approvals.Signals;

/// <summary>
/// Signals within one gateway process: one task per request that someone waits on, completed by a change made through
/// this process (REST approvals, the expiry sweep). Changes made by another process (the CLI) are seen when the held
/// call next reads the store. An entry lives until its request changes; every request ends changed (decided, used or expired).
/// </summary>
public sealed class InProcessApprovalSignals : IApprovalSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);

    public Task WaitAsync(string approvalId, CancellationToken cancellationToken)
    {
        var signal = _waiting.GetOrAdd(approvalId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return signal.Task.WaitAsync(cancellationToken);
    }

    public void Notify(string approvalId)
    {
        if (_waiting.TryRemove(approvalId, out var signal))
        {
            signal.TrySetResult();
        }
    }
}
