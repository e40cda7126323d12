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
    public async Task Check_Writable_ReadyWithTheStateOnly()
    {
        var report = await new LedgerReadiness(new Ledger(LedgerHealth.Healthy), _time).CheckAsync(details: true, CancellationToken.None);

        Assert.True(report.Ready);
        Assert.Equal("""{"state":"writable"}""", report.Body.ToJsonString());
    }

    [Fact]
    public async Task Check_LastCommitFailedJustNow_NotReadyAndTheReasonOnlyWithDetails()
    {
        var ledger = new Ledger(new LedgerHealth(false, "database or disk is full", _time.GetUtcNow()));
        var readiness = new LedgerReadiness(ledger, _time);

        var anyone = await readiness.CheckAsync(details: false, CancellationToken.None);
        var auditor = await readiness.CheckAsync(details: true, CancellationToken.None);

        Assert.False(anyone.Ready);
        Assert.Equal("failing", (string)anyone.Body["state"]!);
        Assert.Null(anyone.Body["reason"]);
        Assert.Equal("database or disk is full", (string)auditor.Body["reason"]!);
    }

    [Fact]
    public async Task Check_FailureOlderThanRetryAfterWithNoCommitSince_ReadyAgainAsRetrying()
    {
        var ledger = new Ledger(new LedgerHealth(false, "database or disk is full", _time.GetUtcNow()));
        var readiness = new LedgerReadiness(ledger, _time);

        _time.Advance(LedgerReadiness.RetryAfter - TimeSpan.FromSeconds(1));
        var before = await readiness.CheckAsync(details: false, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        var after = await readiness.CheckAsync(details: false, CancellationToken.None);

        Assert.False(before.Ready);
        Assert.True(after.Ready);
        Assert.Equal("retrying", (string)after.Body["state"]!);
    }
}
