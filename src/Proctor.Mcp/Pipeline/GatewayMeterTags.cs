using System.Diagnostics.Metrics;

namespace Proctor.Mcp.Pipeline;

/// <summary>
/// Tags on the gateway's meter. A gateway process has one gateway and uses none. The functional tests host many
/// gateways in one process, where the OpenTelemetry SDK listens to every meter of the same name and ends the shared
/// stream of an instrument when any one gateway's meter is disposed (open-telemetry/opentelemetry-dotnet#6412): a tag
/// per gateway keeps their streams apart.
/// </summary>
public sealed record GatewayMeterTags(IReadOnlyList<KeyValuePair<string, object?>> Tags)
{
    public static readonly GatewayMeterTags None = new([]);

    public Meter CreateMeter(IMeterFactory meters) =>
        meters.Create(new MeterOptions(GatewayMetrics.MeterName) { Tags = Tags.Count == 0 ? null : Tags });
}
