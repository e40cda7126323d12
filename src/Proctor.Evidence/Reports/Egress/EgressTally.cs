using Proctor.Ledger.Events;

namespace Proctor.Evidence.Reports.Egress;

/// <summary>
/// What data left, per identity and server: calls, bytes and items returned to the caller, and entities masked by
/// type. One counter set per (identity, server) pair, whatever the number of events.
/// </summary>
internal sealed class EgressTally
{
    private readonly Dictionary<(string Subject, string Server), EgressCounters> _pairs = [];

    public EgressCounters Total { get; } = new();

    public void Observe(LedgerEvent ledgerEvent)
    {
        if (ledgerEvent.Traffic is not { } traffic || ledgerEvent.Kind is not (EventKinds.CallRequest or EventKinds.CallResponse or EventKinds.CallNotification))
        {
            return;
        }

        var key = (ledgerEvent.Actor?.Subject ?? "(unknown)", ledgerEvent.Location?.Server ?? "");
        if (!_pairs.TryGetValue(key, out var counters))
        {
            _pairs.Add(key, counters = new EgressCounters());
        }

        counters.Add(ledgerEvent.Kind, traffic);
        Total.Add(ledgerEvent.Kind, traffic);
    }

    public IEnumerable<(string Subject, string Server, EgressCounters Counters)> Pairs =>
        _pairs.OrderBy(pair => pair.Key.Subject, StringComparer.Ordinal).ThenBy(pair => pair.Key.Server, StringComparer.Ordinal)
            .Select(pair => (pair.Key.Subject, pair.Key.Server, pair.Value));
}

internal sealed class EgressCounters
{
    public long Calls { get; private set; }
    public long Responses { get; private set; }
    public long BytesReturned { get; private set; }
    public long BytesSent { get; private set; }
    public long ItemsReturned { get; private set; }

    /// <summary>Masked in arguments and in results alike: both were stored masked.</summary>
    public SortedDictionary<string, long> MaskedByType { get; } = new(StringComparer.Ordinal);

    public void Add(string kind, EventTraffic traffic)
    {
        Calls += kind == EventKinds.CallRequest ? 1 : 0;
        Responses += kind == EventKinds.CallResponse ? 1 : 0;
        BytesReturned += traffic.BytesOut ?? 0;
        BytesSent += traffic.BytesIn ?? 0;
        ItemsReturned += traffic.ItemsReturned ?? 0;
        if (traffic.MaskedEntities is not { } masked)
        {
            return;
        }

        foreach (var (type, count) in masked)
        {
            MaskedByType[type] = MaskedByType.GetValueOrDefault(type) + count;
        }
    }
}
