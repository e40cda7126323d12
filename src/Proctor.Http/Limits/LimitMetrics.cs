using System.Diagnostics;
using System.Diagnostics.Metrics;
using Proctor.Mcp.Pipeline;

namespace Proctor.Http.Limits;

/// <summary>
/// Refusals by a limit, tagged only with the limit's configuration key (a closed set of four), never the
/// identity: the log and the caller's error carry the rest. Open sessions as a gauge, all identities together.
/// </summary>
internal sealed class LimitMetrics
{
    public const string MaxSessions = "maxSessions";
    public const string MaxSessionsPerIdentity = "maxSessionsPerIdentity";
    public const string MaxConcurrentCallsPerIdentity = "maxConcurrentCallsPerIdentity";
    public const string MaxCallsPerSecondPerIdentity = "maxCallsPerSecondPerIdentity";

    private readonly Counter<long> _refusals;

    public LimitMetrics(IMeterFactory meters, Proctor.Mcp.Sessions.ClientSessionStore sessions, GatewayMeterTags? tags = null)
    {
        var meter = (tags ?? GatewayMeterTags.None).CreateMeter(meters);
        _refusals = meter.CreateCounter<long>("proctor.limit.refusals", "{request}", "Requests refused by a gateway limit, by the limit's configuration key.");
        meter.CreateObservableGauge("proctor.sessions.open", () => sessions.Count, "{session}", "Open session-era sessions, all identities together.");
    }

    public void Refused(string limit) => _refusals.Add(1, new TagList { { "limit", limit } });
}
