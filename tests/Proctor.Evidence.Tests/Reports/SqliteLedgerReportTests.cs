using Proctor.Ledger.Appending;
using Proctor.Ledger.Events;
using Proctor.Ledger.Retention;
using Proctor.Ledger.Storage;
using Proctor.Storage.Sqlite.Ledger;

namespace Proctor.Evidence.Tests.Reports;

/// <summary>The reports over a real SQLite ledger: events appended through <see cref="AuditLedger"/>, some payloads purged under retention.</summary>
public sealed class SqliteLedgerReportTests : IAsyncLifetime
{
    private string _directory = "";
    private SqliteLedgerStore _store = null!;

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("proctor-evreports-").FullName;
        _store = await SqliteLedgerStore.OpenAsync(Path.Combine(_directory, "ledger.db"));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Write_PartlyPurgedSession_CountsPurgedEventsAndReportsOnlyWhatIsStored()
    {
        var ledger = new AuditLedger(_store);
        var events = new GatewayEvents()
            .Call("alice", "bank", "get_statement", "s-1", bytesOut: 900)
            .Wait(TimeSpan.FromHours(2))
            .Call("alice", "bank", "get_balance", "s-1", bytesOut: 40, masked: new Dictionary<string, int> { ["bank_account"] = 1 })
            .Approval(EventKinds.ApprovalRequest, "ap-1", "alice", "alice", "bank", "transfer", "pending", session: "s-1")
            .Approval(EventKinds.ApprovalApprove, "ap-1", "bob", "alice", "bank", "transfer", "approved", session: "s-1");
        foreach (var ledgerEvent in events.Events)
        {
            await ledger.AppendAsync(ledgerEvent);
        }

        await new PayloadPurger(ledger, _store, TimeProvider.System)
            .PurgeAsync(ReportHarness.From.AddHours(2), new EventActor { Subject = "records-officer" }, default);
        var size = await _store.GetSizeAsync(default);
        var included = (await _store.ReadEntriesAsync(0, (int)size, default))
            .Where(entry => !entry.IsPurged)
            .Select(entry => (entry.Index, EventJson.Parse(LedgerEntry.EventOf(entry.Bytes!).Span)))
            .Where(pair => pair.Item2.Time < ReportHarness.To)
            .ToList();

        var files = await ReportHarness.RunAsync(included, 0, events.Events.Count, _store.ReadSessionAsync);

        var transcript = files.Json("reports/sessions/s-1.json");
        Assert.Equal(2, transcript.GetProperty("purged_events").GetInt32());
        Assert.Equal(["get_balance", "get_balance", "transfer", "transfer"],
            transcript.GetProperty("events").EnumerateArray().Select(row => row.GetProperty("action").GetProperty("name").GetString()));
        var total = files.Json("reports/data-left.json").GetProperty("total");
        Assert.Equal((1L, 40L), (total.GetProperty("calls").GetInt64(), total.GetProperty("bytes_returned").GetInt64()));
        var approval = files.Json("reports/access.json").GetProperty("approvals").GetProperty("items")[0];
        Assert.True(approval.GetProperty("approver_differs_from_requester").GetBoolean());
    }
}
