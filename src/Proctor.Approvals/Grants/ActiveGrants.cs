using System.Collections.Frozen;

namespace Proctor.Approvals.Grants;

/// <summary>A holder whose access to a server changed: a grant started, expired or was revoked.</summary>
public readonly record struct GrantChange(string Identity, string Server);

/// <summary>
/// The active grants the gateway checks on every call whose policy decision needs one, held in memory per holder so the
/// check is a dictionary lookup and a short scan (decision 0041: measured in docs/PERFORMANCE.md). Refreshed from the
/// store (every second, and at once after a change made in this process), swapped whole, so a reader never sees half a
/// refresh. Expiry needs no refresh: <see cref="Covering"/> compares each grant's end with the call's own time.
/// </summary>
public sealed class ActiveGrants
{
    private static readonly Snapshot Empty = new(FrozenDictionary<string, AccessGrant[]>.Empty, FrozenDictionary<string, AccessGrant>.Empty);

    private readonly Lock _writing = new();
    private volatile Snapshot _current = Empty;

    /// <summary>The grant that lets <paramref name="identity"/> call <paramref name="tool"/> on <paramref name="server"/> at <paramref name="now"/>, or null.</summary>
    public AccessGrant? Covering(string identity, string server, string tool, DateTimeOffset now)
    {
        if (!_current.ByIdentity.TryGetValue(identity, out var grants))
        {
            return null;
        }

        foreach (var grant in grants)
        {
            if (GrantRules.Covers(grant, identity, server, tool, now))
            {
                return grant;
            }
        }

        return null;
    }

    /// <summary>How many grants are active at <paramref name="now"/>, for the gauge.</summary>
    public int CountAt(DateTimeOffset now)
    {
        var count = 0;
        foreach (var grant in _current.Effective.Values)
        {
            count += GrantRules.StateAt(grant, now) == GrantState.Active ? 1 : 0;
        }

        return count;
    }

    /// <summary>Replaces everything with <paramref name="active"/> (the store's answer); returns whose access changed since the last refresh.</summary>
    public IReadOnlyList<GrantChange> Replace(IReadOnlyList<AccessGrant> active, DateTimeOffset now)
    {
        lock (_writing)
        {
            return Swap(active, now);
        }
    }

    /// <summary>Applies one grant changed in this process at once (the next refresh confirms it); returns whose access changed.</summary>
    public IReadOnlyList<GrantChange> Apply(AccessGrant changed, DateTimeOffset now)
    {
        lock (_writing)
        {
            var grants = new List<AccessGrant>(_current.Effective.Count + 1);
            foreach (var grant in _current.Effective.Values)
            {
                if (grant.Id != changed.Id)
                {
                    grants.Add(grant);
                }
            }

            grants.Add(changed);
            return Swap(grants, now);
        }
    }

    private List<GrantChange> Swap(IReadOnlyList<AccessGrant> candidates, DateTimeOffset now)
    {
        var effective = new Dictionary<string, AccessGrant>(StringComparer.Ordinal);
        foreach (var grant in candidates)
        {
            if (GrantRules.StateAt(grant, now) == GrantState.Active)
            {
                effective[grant.Id] = grant;
            }
        }

        var previous = _current.Effective;
        var changes = new HashSet<GrantChange>();
        foreach (var (id, grant) in effective)
        {
            if (!previous.ContainsKey(id))
            {
                changes.Add(new GrantChange(grant.Identity, grant.Server));
            }
        }

        foreach (var (id, grant) in previous)
        {
            if (!effective.ContainsKey(id))
            {
                changes.Add(new GrantChange(grant.Identity, grant.Server));
            }
        }

        var byIdentity = effective.Values.GroupBy(g => g.Identity, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _current = new Snapshot(byIdentity, effective.ToFrozenDictionary(StringComparer.Ordinal));
        return [.. changes];
    }

    private sealed record Snapshot(FrozenDictionary<string, AccessGrant[]> ByIdentity, IReadOnlyDictionary<string, AccessGrant> Effective);
}
