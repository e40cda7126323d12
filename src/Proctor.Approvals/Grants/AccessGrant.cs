using Proctor.Approvals.Requests;

namespace Proctor.Approvals.Grants;

/// <summary>
/// Just-in-time access for one person to some tools of one server for a while (docs/access.md, decision 0041). Immutable:
/// <see cref="GrantRules"/> computes each next value; the store replaces the previous one only if nobody changed it
/// meanwhile (<see cref="Version"/>). Holds no call arguments: a grant covers tools, not argument values.
/// </summary>
public sealed record AccessGrant
{
    /// <summary>Time-ordered and unguessable (UUIDv7).</summary>
    public required string Id { get; init; }

    /// <summary>Whose access it is: issuer and subject together, compared with the caller's key on every call.</summary>
    public required string Identity { get; init; }

    /// <summary>The holder's subject, as people read it.</summary>
    public required string Holder { get; init; }

    public required string Server { get; init; }

    /// <summary>Exact tool names on <see cref="Server"/>; nothing else is covered.</summary>
    public required IReadOnlyList<string> Tools { get; init; }

    /// <summary>Why the holder needs it (free text, masked before it is stored).</summary>
    public required string Reason { get; init; }

    /// <summary>The change or incident ticket, when one was named.</summary>
    public string? Ticket { get; init; }

    /// <summary>How long it lasts once it starts (at the last approval, or at once for break-glass).</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The policy rule (effect <c>grant</c>) that lets the holder have this scope, and names its approvers.</summary>
    public required string Rule { get; init; }

    public required string PolicyHash { get; init; }

    /// <summary>Groups whose members approve, deny, revoke it, and close its review (never the holder).</summary>
    public required IReadOnlyList<string> ApproverGroups { get; init; }

    /// <summary>How many distinct approvers it takes (M of N); 0 for break-glass.</summary>
    public required int MinApprovals { get; init; }

    /// <summary>Taken by the holder alone under the break-glass role: active at once, reviewed afterwards.</summary>
    public bool BreakGlass { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>A request nobody decided lapses at this instant.</summary>
    public required DateTimeOffset DecideBy { get; init; }

    public GrantState State { get; init; } = GrantState.Pending;

    public IReadOnlyList<ApprovalVote> Approvals { get; init; } = [];

    /// <summary>Who denied or revoked it.</summary>
    public ApprovalVote? Ending { get; init; }

    /// <summary>When it started working; null until then.</summary>
    public DateTimeOffset? StartsAt { get; init; }

    /// <summary>When it stops working: <see cref="StartsAt"/> + <see cref="Duration"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public long Version { get; init; }
}

/// <summary>pending → active (enough distinct approvers, or break-glass at once) → expired or revoked; pending → denied or expired (undecided).</summary>
public enum GrantState
{
    Pending,
    Active,
    Denied,
    Revoked,
    Expired,
}

public static class GrantStates
{
    public static string Name(GrantState state) => state switch
    {
        GrantState.Pending => "pending",
        GrantState.Active => "active",
        GrantState.Denied => "denied",
        GrantState.Revoked => "revoked",
        _ => "expired",
    };

    public static bool TryParse(string name, out GrantState state)
    {
        foreach (var candidate in Enum.GetValues<GrantState>())
        {
            if (Name(candidate) == name)
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }
}
