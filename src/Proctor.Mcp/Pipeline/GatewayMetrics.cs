using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Proctor.Mcp.Pipeline;

/// <summary>
/// The gateway's metrics (System.Diagnostics.Metrics; the host exports them on <c>/metrics</c>).
/// Tags are upstream names, MCP methods and outcomes: all bounded by configuration or the protocol,
/// never a tool argument, a caller or an id.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "Proctor.Gateway";

    private readonly Meter _meter;
    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;

    public GatewayMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _calls = _meter.CreateCounter<long>("proctor.calls", "{call}", "Calls relayed to upstreams, by upstream, method and outcome.");
        _duration = _meter.CreateHistogram<double>("proctor.call.duration", "s", "Time from the call entering the pipeline to its response.");
    }

    public void RecordCall(string upstream, string method, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "upstream", upstream }, { "method", method }, { "outcome", outcome } };
        _calls.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>Reports 1 per ready upstream and 0 per other, read at each scrape.</summary>
    public void ObserveUpstreams(Func<IEnumerable<(string Name, bool Ready)>> upstreams) =>
        _meter.CreateObservableGauge(
            "proctor.upstream.ready",
            () => upstreams().Select(u => new Measurement<int>(u.Ready ? 1 : 0, new KeyValuePair<string, object?>("upstream", u.Name))),
            "{upstream}",
            "1 when the upstream is connected and ready, else 0.");
}
