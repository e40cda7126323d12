using Proctor.Approvals.Requests;

namespace Proctor.Approvals.Store;

/// <summary>Which requests a listing returns, newest first.</summary>
/// <param name="State">Only requests in this state as stored (null: all).</param>
public sealed record ApprovalQuery(ApprovalState? State = null, int Limit = 100);

/// <summary>
/// Where requests are kept (the gateway's database). Shared by the running gateway and the CLI, possibly at once, and
/// by several gateway nodes later: every change is a compare-and-set on <see cref="ApprovalRequest.Version"/>, so two
/// writers never both win, and in particular two calls never both spend one approval. The store keeps what
/// <see cref="Rules.ApprovalRules"/> computed and decides nothing itself.
/// </summary>
public interface IApprovalStore
{
    /// <summary>Adds a new request (its <see cref="ApprovalRequest.Version"/> becomes 1).</summary>
    Task CreateAsync(ApprovalRequest request, CancellationToken cancellationToken);

    Task<ApprovalRequest?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Requests for exactly this call stored as pending or approved, newest first (expired ones included until marked).</summary>
    Task<IReadOnlyList<ApprovalRequest>> FindOpenAsync(CallBinding binding, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalQuery query, CancellationToken cancellationToken);

    /// <summary>Requests stored as pending or approved whose expiry is at or before <paramref name="now"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ApprovalRequest>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="next"/> in place of <paramref name="current"/> if the stored request is still at
    /// <paramref name="current"/>'s version; returns <paramref name="next"/> with its new version, or null when someone
    /// changed the request meanwhile (nothing is written then). Atomic.
    /// </summary>
    Task<ApprovalRequest?> ReplaceAsync(ApprovalRequest current, ApprovalRequest next, CancellationToken cancellationToken);
}
