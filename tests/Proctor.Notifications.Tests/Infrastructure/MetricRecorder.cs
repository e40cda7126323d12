using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Proctor.Notifications.Tests.Infrastructure;

/// <summary>
/// Creates the meters of one notifier and sums what its counters record, by instrument and tags; instruments of
/// other tests' meters (running in parallel) are not listened to.
/// </summary>
internal sealed class MetricRecorder : IMeterFactory
{
    private readonly ConcurrentBag<Meter> _meters = [];
    private readonly ConcurrentDictionary<string, long> _sums = new();
    private readonly MeterListener _listener = new();

    public MetricRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_meters.Contains(instrument.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            _sums.AddOrUpdate(Key(instrument.Name, tags), value, (_, sum) => sum + value));
        _listener.Start();
    }

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _meters.Add(meter);
        return meter;
    }

    /// <summary>The sum recorded on <paramref name="instrument"/> with exactly these tags (<c>webhook=ops,outcome=delivered</c>).</summary>
    public long Sum(string instrument, string tags) => _sums.GetValueOrDefault($"{instrument}|{tags}");

    public void Dispose()
    {
        _listener.Dispose();
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }

    private static string Key(string instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (var tag in tags)
        {
            parts.Add($"{tag.Key}={tag.Value}");
        }

        return $"{instrument}|{string.Join(",", parts)}";
    }
}
