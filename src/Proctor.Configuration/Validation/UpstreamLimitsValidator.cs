using Proctor.Configuration.Formats;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Validation;

/// <summary>The bounds every upstream has, whatever its kind: message size, calls in flight, queue lengths, liveness.</summary>
internal sealed class UpstreamLimitsValidator : IOptionsValidator
{
    // Below 1 KiB not even an initialize result fits; above 1 GiB one message could take the gateway's memory.
    public const long MinMessageBytes = 1L << 10;
    public const long MaxMessageBytes = 1L << 30;
    public const int MaxCallsInFlight = 100_000;
    public const int MaxQueuedMessages = 100_000;

    public void Validate(ProctorOptions options, ValidationContext context)
    {
        foreach (var (name, upstream) in options.Upstreams)
        {
            if (upstream.Unreadable)
            {
                continue;
            }

            var path = $"upstreams.{name}";
            if (upstream.MaxMessageBytes is { } size && !upstream.RefusedKeys.Contains("maxMessageBytes"))
            {
                if (!ByteSizeFormat.TryParse(size, UpstreamOptions.DefaultMaxMessageBytes, out var bytes, out var problem))
                {
                    context.Add($"{path}.maxMessageBytes", problem!);
                }
                else if (bytes is < MinMessageBytes or > MaxMessageBytes)
                {
                    context.Add($"{path}.maxMessageBytes", $"{DisplayText.Quote(size)} is out of range; use from \"1KiB\" to \"1GiB\", e.g. \"{UpstreamOptions.DefaultMaxMessageBytes}\"");
                }
            }

            if (upstream.MaxCallsInFlight is { } calls && !upstream.RefusedKeys.Contains("maxCallsInFlight"))
            {
                context.AddIf(CountFormat.TryParse(calls, 1, MaxCallsInFlight, out _, out var problem), $"{path}.maxCallsInFlight", problem);
            }

            if (upstream.MaxQueuedMessages is { } queued && !upstream.RefusedKeys.Contains("maxQueuedMessages"))
            {
                context.AddIf(CountFormat.TryParse(queued, 1, MaxQueuedMessages, out _, out var problem), $"{path}.maxQueuedMessages", problem);
            }

            if (upstream.PingInterval is { } interval && !upstream.RefusedKeys.Contains("pingInterval"))
            {
                context.AddIf(DurationFormat.TryParse(interval, UpstreamOptions.DefaultPingInterval, out _, out var problem), $"{path}.pingInterval", problem);
            }
        }
    }
}
