namespace Proctor.Approvals.Signals;

/// <summary>
/// Wakes calls held on a request when it changes. A hint only: a waiter always reads the store after it wakes, and also
/// reads it on its own schedule, so a lost signal delays a release and never causes a wrong one. This process's
/// implementation is <see cref="InProcessApprovalSignals"/>; several gateway nodes on PostgreSQL can implement it with
/// LISTEN/NOTIFY (decision 0037).
/// </summary>
public interface IApprovalSignals
{
    /// <summary>Completes at the next <see cref="Notify"/> for <paramref name="approvalId"/>. Register before reading the store, so a change between the two is not missed.</summary>
    Task WaitAsync(string approvalId, CancellationToken cancellationToken);

    /// <summary>The request changed: everything waiting on it wakes.</summary>
    void Notify(string approvalId);
}
