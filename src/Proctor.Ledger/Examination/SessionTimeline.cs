using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;

namespace Proctor.Ledger.Examination;

/// <summary>
/// One session as the ledger recorded it (masked), in ledger order, each event with its time since the
/// session's first event: what an examiner traces end to end, through the CLI or <c>/api/sessions</c>.
/// </summary>
public sealed record SessionTimeline(string SessionId, IReadOnlyList<TimedEvent> Events, int RecordedEvents)
{
    /// <summary>Events whose payload was purged under retention: counted, never shown.</summary>
    public int PurgedEvents => RecordedEvents - Events.Count;

    /// <summary>The session's events, or null when the ledger holds none of that session.</summary>
    public static async Task<SessionTimeline?> ReadAsync(IEventQueries queries, string sessionId, CancellationToken cancellationToken)
    {
        var records = await queries.ReadSessionAsync(sessionId, cancellationToken).ConfigureAwait(false);
        return records.Count == 0 ? null : From(sessionId, records);
    }

    /// <summary>The timeline of <paramref name="records"/>, one session's events in ledger order (all of them, or those of an export's period).</summary>
    public static SessionTimeline From(string sessionId, IReadOnlyList<EventRecord> records)
    {
        var kept = records.Select(r => (r.Index, Event: r.Parse())).Where(r => r.Event is not null).ToList();
        var start = kept.Count > 0 ? kept[0].Event!.Time : default;
        return new SessionTimeline(sessionId, [.. kept.Select(r => new TimedEvent(r.Index, r.Event!, r.Event!.Time - start))], records.Count);
    }
}

/// <summary>An event at its ledger index, <see cref="Offset"/> after the first event of its session.</summary>
public sealed record TimedEvent(long Index, LedgerEvent Event, TimeSpan Offset);
