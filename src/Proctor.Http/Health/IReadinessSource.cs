using System.Text.Json.Nodes;

namespace Proctor.Http.Health;

/// <summary>
/// One part of the gateway that <c>/readyz</c> reports on (the upstreams, the ledger, the identity
/// providers): its section of the body and whether it lets the gateway serve. The endpoint is ready when
/// every source is. Register sources in DI as <see cref="IReadinessSource"/>; they are listed in
/// registration order.
/// </summary>
public interface IReadinessSource
{
    /// <summary>The section's key in the body (<c>upstreams</c>, <c>ledger</c>).</summary>
    string Name { get; }

    /// <param name="details">
    /// True only for an authenticated auditor or admin: then the section may include reasons, which can
    /// quote an upstream (masked). Without it a section holds states, times and closed-set codes only.
    /// </param>
    ValueTask<ReadinessReport> CheckAsync(bool details, CancellationToken cancellationToken);
}

public sealed record ReadinessReport(bool Ready, JsonNode Body);
