using Microsoft.Extensions.Time.Testing;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;

namespace Proctor.Ledger.Tests.Appending;

public sealed class AuditLedgerHealthTests
{
    private static LedgerEvent Event(int n) => new()
    {
        Id = $"0193a0b4-0000-7000-8000-{n:D12}",
        Kind = "call.request",
        Time = new DateTimeOffset(2026, 7, 28, 9, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public async Task Append_StoreFailsThenRecovers_HealthSaysFailingWithTheReasonThenWritable()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 7, 28, 9, 0, 0, TimeSpan.Zero));
        var store = new SwitchableStore();
        await using var ledger = new AuditLedger(store, new LedgerOptions { Time = time });
        var initially = ledger.Health;

        store.Failure = "database or disk is full";
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.AppendAsync(Event(1)));
        var failing = ledger.Health;
        store.Failure = null;
        await ledger.AppendAsync(Event(2));

        Assert.True(initially.Writable);
        Assert.False(failing.Writable);
        Assert.Equal("database or disk is full", failing.Failure);
        Assert.Equal(time.GetUtcNow(), failing.FailedAt);
        Assert.Equal(LedgerHealth.Healthy, ledger.Health);
    }

    /// <summary>An entry store that fails while <see cref="Failure"/> is set, as a full disk does.</summary>
    private sealed class SwitchableStore : IEntryStore
    {
        private long _size;

        public string? Failure { get; set; }

        public Task<AppendedBatch> AppendAsync(IReadOnlyList<EntryDraft> drafts, CancellationToken cancellationToken)
        {
            if (Failure is { } failure)
            {
                throw new LedgerStoreException(failure);
            }

            var appended = new AppendedBatch(_size, [.. drafts.Select(_ => new byte[32])]);
            _size += drafts.Count;
            return Task.FromResult(appended);
        }

        public Task<long> GetSizeAsync(CancellationToken cancellationToken) => Task.FromResult(_size);

        public Task<IReadOnlyList<LedgerEntry>> ReadEntriesAsync(long start, int count, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<byte[]>> ReadLeafHashesAsync(long start, int count, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
