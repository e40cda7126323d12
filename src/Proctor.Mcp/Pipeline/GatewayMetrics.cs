using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Proctor.Mcp.Pipeline;

/// <summary>
/// The gateway's metrics (System.Diagnostics.Metrics; the host exports them on <c>/metrics</c>). Every tag
/// value comes from a closed set or from configuration, whatever the caller or the upstream sends: the
/// method and outcome pass through <see cref="MetricLabels"/>, upstream names are configured, and
/// authentication reasons are the fixed codes of Proctor.Identity. A caller's method name, tool name,
/// argument or id is never a tag, so <c>/metrics</c> cannot be grown from outside.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "Proctor.Gateway";

    /// <summary>
    /// Seconds, from 1 ms (the gateway's own added latency with durable audit is 1.5–1.8 ms at p50,
    /// docs/PERFORMANCE.md) to 5 min (long tool calls; an upstream's timeout defaults to 30 s).
    /// </summary>
    public static readonly IReadOnlyList<double> DurationBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly Meter _meter;
    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _authFailures;

    public GatewayMetrics(IMeterFactory meters, GatewayMeterTags? tags = null)
    {
        _meter = (tags ?? GatewayMeterTags.None).CreateMeter(meters);
        _calls = _meter.CreateCounter<long>("proctor.calls", "{call}", "Calls relayed to upstreams, by upstream, method and outcome.");
        _duration = _meter.CreateHistogram("proctor.call.duration", "s", "Time from the call entering the pipeline to its response.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _authFailures = _meter.CreateCounter<long>("proctor.auth.failures", "{failure}", "Requests whose credentials were refused (401, 403, 503), by reason.");
    }

    /// <param name="method">Any method name; names outside the MCP set are counted as "other".</param>
    /// <param name="outcome">A value from <see cref="MetricLabels.Outcome"/>.</param>
    public void RecordCall(string upstream, string method, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "upstream", upstream }, { "method", MetricLabels.Method(method) }, { "outcome", outcome } };
        _calls.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
    }

    /// <param name="reason">One of Proctor.Identity's <c>AuthenticationFailures</c> codes, a closed set the caller MUST keep to.</param>
    public void RecordAuthenticationFailure(string reason) =>
        _authFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Open break-glass reviews and active just-in-time grants, read at each scrape (docs/access.md).</summary>
    public void ObserveAccess(Func<int> openReviews, Func<int> activeGrants)
    {
        _meter.CreateObservableGauge("proctor.open_reviews", openReviews, "{review}", "Break-glass reviews nobody has closed yet.");
        _meter.CreateObservableGauge("proctor.active_grants", activeGrants, "{grant}", "Just-in-time and break-glass grants working now.");
    }

    /// <summary>Reports 1 per ready upstream and 0 per other, read at each scrape.</summary>
    public void ObserveUpstreams(Func<IEnumerable<(string Name, bool Ready)>> upstreams) =>
        _meter.CreateObservableGauge(
            "proctor.upstream.ready",
            () => upstreams().Select(u => new Measurement<int>(u.Ready ? 1 : 0, new KeyValuePair<string, object?>("upstream", u.Name))),
            "{upstream}",
            "1 when the upstream is connected and ready, else 0.");
}
