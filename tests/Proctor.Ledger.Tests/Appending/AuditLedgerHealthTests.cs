using Microsoft.Extensions.Time.Testing;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Storage;

namespace Proctor.Ledger.Tests.Appending;

public sealed class AuditLedgerHealthTests
{
    [Fact]
    public async Task Append_StoreFailsThenRecovers_HealthSaysFailingWithTheReasonThenWritable()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 7, 28, 9, 0, 0, TimeSpan.Zero));
        var store = new SwitchableStore();
        await using var ledger = new AuditLedger(store, new LedgerOptions { Time = time });
        var initially = ledger.Health;

        store.Failure = "database or disk is full";
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.AppendAsync(AppendOnlyStore.Event(1)));
        var failing = ledger.Health;
        store.Failure = null;
        await ledger.AppendAsync(AppendOnlyStore.Event(2));

        Assert.True(initially.Writable);
        Assert.False(failing.Writable);
        Assert.Equal("database or disk is full", failing.Failure);
        Assert.Equal(time.GetUtcNow(), failing.FailedAt);
        Assert.Equal(LedgerHealth.Healthy, ledger.Health);
    }

    /// <summary>An entry store that fails while <see cref="Failure"/> is set, as a full disk does.</summary>
    private sealed class SwitchableStore : AppendOnlyStore
    {
        public string? Failure { get; set; }

        public override Task<AppendedBatch> AppendAsync(IReadOnlyList<EntryDraft> drafts, CancellationToken cancellationToken) =>
            Failure is { } failure ? throw new LedgerStoreException(failure) : Task.FromResult(Sequence(drafts));
    }
}
