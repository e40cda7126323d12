using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Upstreams;

namespace Proctor.Http.Health;

/// <summary>
/// Each upstream's state as its supervisor sees it now. Ready when no upstream is configured or at least
/// one is ready: one dead upstream never stops the others. Reasons (masked, decision 0016) only with details.
/// </summary>
internal sealed partial class UpstreamReadiness(UpstreamRegistry upstreams, TimeProvider time) : IReadinessSource
{
    public string Name => "upstreams";

    public ValueTask<ReadinessReport> CheckAsync(bool details, CancellationToken cancellationToken) => ValueTask.FromResult(Check(details));

    private ReadinessReport Check(bool details)
    {
        var report = new JsonObject();
        var ready = 0;
        var now = time.GetUtcNow();
        foreach (var upstream in upstreams.Ordered)
        {
            var health = upstream.Health;
            ready += health.State == UpstreamState.Ready ? 1 : 0;
            var section = new JsonObject
            {
                ["state"] = health.State.ToString().ToLowerInvariant(),
                ["era"] = health.Era,
                ["protocolVersion"] = ShownVersion(upstream.Description?.ProtocolVersion),
                ["since"] = health.Since.ToString("O"),
                ["restarts"] = health.Restarts,
                ["reasonCode"] = health.ReasonCode,
            };
            if (health.State == UpstreamState.Stalled)
            {
                section["stalledForSeconds"] = Math.Max(0, (long)(now - health.Since).TotalSeconds);
            }

            if (details)
            {
                section["reason"] = health.Reason;
            }

            report[upstream.Name] = section;
        }

        return new ReadinessReport(ready > 0 || upstreams.Ordered.Count == 0, report);
    }

    /// <summary>The version the upstream negotiated is its own text: shown only when it looks like a version.</summary>
    private static string? ShownVersion(string? version) =>
        version is null ? null : VersionSyntax().IsMatch(version) ? version : "(not a protocol version)";

    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    private static partial Regex VersionSyntax();
}
