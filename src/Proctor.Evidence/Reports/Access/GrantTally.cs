using Proctor.Ledger.Events;

namespace Proctor.Evidence.Reports.Access;

/// <summary>
/// Just-in-time grants and break-glass (grant.*, breakglass.open, review.* events) by grant id, and their use: a call
/// decided under a grant rule (reason <c>policy.grant_required</c>) by the holder, on the grant's server, while the
/// grant was active. Calls under grants made before the period are counted apart, per holder and server.
/// </summary>
internal sealed class GrantTally
{
    private const string GrantRequired = "policy.grant_required";

    private readonly Dictionary<string, GrantSeen> _grants = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Holder, string Server), List<GrantSeen>> _byHolder = [];
    private readonly Dictionary<(string Holder, string Server), long> _usesOfEarlierGrants = [];

    public void Observe(LedgerEvent ledgerEvent)
    {
        if (IsGrantEvent(ledgerEvent.Kind) && EventDetails.Text(ledgerEvent.Details, "grant_id") is { } id)
        {
            Grant(id, ledgerEvent).Add(ledgerEvent);
        }
        else if (ledgerEvent is { Kind: EventKinds.CallRequest, Decision.ReasonCode: GrantRequired, Actor: { } actor, Location.Server: { } server })
        {
            CountUse(actor.Subject, server, ledgerEvent.Time);
        }
    }

    public IReadOnlyList<GrantSeen> Grants => [.. _grants.Values.OrderBy(grant => grant.FirstEventAt)];

    public IReadOnlyList<EarlierGrantUse> UsesOfEarlierGrants =>
        [.. _usesOfEarlierGrants.OrderBy(use => use.Key.Holder, StringComparer.Ordinal).ThenBy(use => use.Key.Server, StringComparer.Ordinal)
            .Select(use => new EarlierGrantUse(use.Key.Holder, use.Key.Server, use.Value))];

    private GrantSeen Grant(string id, LedgerEvent first)
    {
        if (_grants.TryGetValue(id, out var grant))
        {
            return grant;
        }

        grant = new GrantSeen(id);
        _grants.Add(id, grant);
        var holder = EventDetails.Text(first.Details, "holder");
        if (holder is not null && first.Location?.Server is { } server)
        {
            var key = (holder, server);
            if (!_byHolder.TryGetValue(key, out var list))
            {
                _byHolder.Add(key, list = []);
            }

            list.Add(grant);
        }

        return grant;
    }

    private void CountUse(string holder, string server, DateTimeOffset at)
    {
        var covering = _byHolder.TryGetValue((holder, server), out var grants) ? grants.FirstOrDefault(grant => grant.CoversAt(at)) : null;
        if (covering is not null)
        {
            covering.Uses++;
            return;
        }

        _usesOfEarlierGrants[(holder, server)] = _usesOfEarlierGrants.GetValueOrDefault((holder, server)) + 1;
    }

    private static bool IsGrantEvent(string kind) =>
        kind.StartsWith("grant.", StringComparison.Ordinal) || kind is EventKinds.BreakGlassOpen or EventKinds.ReviewOpen or EventKinds.ReviewClose;
}

public sealed record EarlierGrantUse(string Holder, string Server, long Calls);
