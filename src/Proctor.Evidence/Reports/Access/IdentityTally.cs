using Proctor.Ledger.Events;

namespace Proctor.Evidence.Reports.Access;

/// <summary>Every identity that acted in the period, with how it authenticated (issuers, methods, amr) and when it was first and last seen.</summary>
internal sealed class IdentityTally
{
    private readonly Dictionary<string, IdentitySeen> _identities = new(StringComparer.Ordinal);

    public void Observe(LedgerEvent ledgerEvent)
    {
        if (ledgerEvent.Actor is not { } actor)
        {
            return;
        }

        if (!_identities.TryGetValue(actor.Subject, out var seen))
        {
            seen = new IdentitySeen(actor.Subject, ledgerEvent.Time);
            _identities.Add(actor.Subject, seen);
        }

        seen.Add(ledgerEvent, actor);
    }

    public IReadOnlyList<IdentitySeen> Identities => [.. _identities.Values.OrderBy(identity => identity.Subject, StringComparer.Ordinal)];
}

internal sealed class IdentitySeen(string subject, DateTimeOffset firstSeen)
{
    public string Subject { get; } = subject;
    public DateTimeOffset FirstSeen { get; } = firstSeen;
    public DateTimeOffset LastSeen { get; private set; } = firstSeen;
    public long Events { get; private set; }
    public long Calls { get; private set; }
    public SortedSet<string> Issuers { get; } = new(StringComparer.Ordinal);
    public SortedSet<string> AuthMethods { get; } = new(StringComparer.Ordinal);
    public SortedSet<string> Amr { get; } = new(StringComparer.Ordinal);

    public void Add(LedgerEvent ledgerEvent, EventActor actor)
    {
        Events++;
        LastSeen = ledgerEvent.Time;
        if (ledgerEvent.Kind == EventKinds.CallRequest)
        {
            Calls++;
        }

        AddIfAny(Issuers, actor.Issuer);
        AddIfAny(AuthMethods, actor.AuthMethod);
        var amr = actor.Amr ?? [];
        for (var i = 0; i < amr.Count; i++)
        {
            Amr.Add(amr[i]);
        }
    }

    private static void AddIfAny(SortedSet<string> set, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            set.Add(value);
        }
    }
}
