namespace Proctor.Approvals.Grants;

/// <summary>Which grants a listing returns, newest first.</summary>
/// <param name="State">Only grants stored in this state (null: all).</param>
/// <param name="Identity">Only this holder's (issuer|subject; null: everyone's).</param>
public sealed record GrantQuery(GrantState? State = null, string? Identity = null, int Limit = 100);

/// <summary>
/// Where grants and break-glass reviews are kept (the gateway's database), shared by the gateway and the CLI: every change
/// is a compare-and-set on the version, so of two writers exactly one wins. Decides nothing (that is <see cref="GrantRules"/>).
/// </summary>
public interface IGrantStore
{
    /// <summary>Adds a new grant (version 1).</summary>
    Task CreateAsync(AccessGrant grant, CancellationToken cancellationToken);

    Task<AccessGrant?> FindAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<AccessGrant>> ListAsync(GrantQuery query, CancellationToken cancellationToken);

    /// <summary>Every grant stored as active whose end is after <paramref name="now"/>: what the gateway's cache holds.</summary>
    Task<IReadOnlyList<AccessGrant>> ActiveAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Grants stored as pending or active whose time is up at <paramref name="now"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AccessGrant>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="next"/> if the stored grant is still at <paramref name="current"/>'s version; null when someone changed it meanwhile. Atomic.</summary>
    Task<AccessGrant?> ReplaceAsync(AccessGrant current, AccessGrant next, CancellationToken cancellationToken);

    Task CreateReviewAsync(AccessReview review, CancellationToken cancellationToken);

    Task<AccessReview?> FindReviewAsync(string id, CancellationToken cancellationToken);

    /// <summary>Reviews, newest first; only open ones when <paramref name="openOnly"/>.</summary>
    Task<IReadOnlyList<AccessReview>> ListReviewsAsync(bool openOnly, int limit, CancellationToken cancellationToken);

    Task<int> CountOpenReviewsAsync(CancellationToken cancellationToken);

    /// <summary>Stores the closed review if it is still at <paramref name="current"/>'s version; null otherwise. Atomic.</summary>
    Task<AccessReview?> ReplaceReviewAsync(AccessReview current, AccessReview next, CancellationToken cancellationToken);
}
