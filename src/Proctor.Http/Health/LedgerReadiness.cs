using System.Text.Json.Nodes;
using Proctor.Ledger.Appending;

namespace Proctor.Http.Health;

/// <summary>
/// The audit ledger: every call is refused while it cannot commit, so the gateway is not ready then.
/// Only commits tell whether the store works again, and a gateway that is not ready gets no calls; so
/// once the last failure is <see cref="RetryAfter"/> old with no commit since, the ledger is reported
/// <c>retrying</c> and ready, and the next call shows which it is (a half-open breaker).
/// </summary>
internal sealed class LedgerReadiness(ILedgerHealth ledger, TimeProvider time) : IReadinessSource
{
    /// <summary>Three periods of a Kubernetes readiness probe at its default 10 s: long enough to drain traffic away.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    public string Name => "ledger";

    public ValueTask<ReadinessReport> CheckAsync(bool details, CancellationToken cancellationToken) => ValueTask.FromResult(Check(details));

    private ReadinessReport Check(bool details)
    {
        var health = ledger.Health;
        if (health.Writable)
        {
            return new ReadinessReport(true, new JsonObject { ["state"] = "writable" });
        }

        var retrying = health.FailedAt is { } failedAt && time.GetUtcNow() - failedAt >= RetryAfter;
        var body = new JsonObject
        {
            ["state"] = retrying ? "retrying" : "failing",
            ["failedAt"] = health.FailedAt?.ToString("O"),
        };
        if (details)
        {
            body["reason"] = health.Failure;
        }

        return new ReadinessReport(retrying, body);
    }
}
