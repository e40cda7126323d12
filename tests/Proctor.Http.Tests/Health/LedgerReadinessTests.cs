using Microsoft.Extensions.Time.Testing;
using Proctor.Http.Health;
using Proctor.Ledger.Appending;

namespace Proctor.Http.Tests.Health;

public sealed class LedgerReadinessTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 7, 28, 9, 0, 0, TimeSpan.Zero));

    private sealed class Ledger(LedgerHealth health) : ILedgerHealth
    {
        public LedgerHealth Health { get; set; } = health;
    }

    [Fact]
    public void Check_Writable_ReadyWithTheStateOnly()
    {
        var report = new LedgerReadiness(new Ledger(LedgerHealth.Healthy), _time).CheckAsync(details: true, CancellationToken.None).Result;

        Assert.True(report.Ready);
        Assert.Equal("""{"state":"writable"}""", report.Body.ToJsonString());
    }

    [Fact]
    public void Check_LastCommitFailedJustNow_NotReadyAndTheReasonOnlyWithDetails()
    {
        var ledger = new Ledger(new LedgerHealth(false, "database or disk is full", _time.GetUtcNow()));
        var readiness = new LedgerReadiness(ledger, _time);

        var anyone = readiness.CheckAsync(details: false, CancellationToken.None).Result;
        var auditor = readiness.CheckAsync(details: true, CancellationToken.None).Result;

        Assert.False(anyone.Ready);
        Assert.Equal("failing", (string)anyone.Body["state"]!);
        Assert.Null(anyone.Body["reason"]);
        Assert.Equal("database or disk is full", (string)auditor.Body["reason"]!);
    }

    [Fact]
    public void Check_FailureOlderThanRetryAfterWithNoCommitSince_ReadyAgainAsRetrying()
    {
        var ledger = new Ledger(new LedgerHealth(false, "database or disk is full", _time.GetUtcNow()));
        var readiness = new LedgerReadiness(ledger, _time);

        _time.Advance(LedgerReadiness.RetryAfter - TimeSpan.FromSeconds(1));
        var before = readiness.CheckAsync(details: false, CancellationToken.None).Result;
        _time.Advance(TimeSpan.FromSeconds(1));
        var after = readiness.CheckAsync(details: false, CancellationToken.None).Result;

        Assert.False(before.Ready);
        Assert.True(after.Ready);
        Assert.Equal("retrying", (string)after.Body["state"]!);
    }
}
