using Proctor.Approvals.Requests;

namespace Proctor.Approvals.Grants;

/// <summary>
/// The after-the-fact check of a break-glass grant: open from the moment the glass is broken until someone other than
/// the holder, in the grant's approver groups, closes it with a comment. It stays open when the grant ends.
/// </summary>
public sealed record AccessReview
{
    public required string Id { get; init; }

    public required string GrantId { get; init; }

    /// <summary>The holder's key (issuer and subject): never the one who closes it.</summary>
    public required string Identity { get; init; }

    public required string Holder { get; init; }

    public required string Server { get; init; }

    public required IReadOnlyList<string> Tools { get; init; }

    public required string Reason { get; init; }

    public required IReadOnlyList<string> ReviewerGroups { get; init; }

    public required DateTimeOffset OpenedAt { get; init; }

    /// <summary>Who closed it, when, and their comment; null while open.</summary>
    public ApprovalVote? Closure { get; init; }

    public bool IsOpen => Closure is null;

    public long Version { get; init; }
}
