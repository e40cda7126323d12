using System.Text.Json;
using Proctor.Ledger.Events;

namespace Proctor.Evidence.Tests;

public sealed class ExportFilterTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly ExportRequest November = new(new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    public static TheoryData<string, string?, string?, bool> Cases() => new()
    {
        // event, --server, --identity, included
        { "alice calls crm", null, null, true },
        { "alice calls crm", "crm", null, true },
        { "alice calls crm", "core", null, false },
        { "alice calls crm", null, "alice", true },
        { "alice calls crm", null, "bob", false },
        { "alice calls crm", "crm", "alice", true },
        { "alice calls crm", "core", "alice", false },
        { "bob approves alice's call", null, "alice", true },
        { "bob approves alice's call", null, "bob", true },
        { "bob approves alice's call", null, "carol", false },
        { "the expiry job ends alice's grant", null, "alice", true },
        { "the expiry job ends alice's grant", null, "proctor:expiry", true },
        { "a config load", null, "alice", false },
        { "a config load", "crm", null, false },
        { "alice calls crm, a month later", null, null, false },
        { "alice calls crm, the period's first millisecond", null, null, true },
        { "alice calls crm, the period's end", null, null, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Includes_ByPeriodServerAndIdentity(string description, string? server, string? identity, bool included)
    {
        Assert.Equal(included, ExportFilter.Includes(November with { Server = server, Identity = identity }, Event(description)));
    }

    private static LedgerEvent Event(string description)
    {
        var call = new LedgerEvent
        {
            Id = "e",
            Kind = EventKinds.CallRequest,
            Time = At,
            Actor = new EventActor { Subject = "alice" },
            Location = new EventLocation { Server = "crm" },
        };
        return description switch
        {
            "alice calls crm" => call,
            "bob approves alice's call" => call with { Kind = EventKinds.ApprovalApprove, Actor = new EventActor { Subject = "bob" }, Details = JsonSerializer.SerializeToElement(new { requester = "alice" }) },
            "the expiry job ends alice's grant" => call with { Kind = EventKinds.GrantExpire, Actor = new EventActor { Subject = "proctor:expiry" }, Details = JsonSerializer.SerializeToElement(new { holder = "alice" }) },
            "a config load" => call with { Kind = EventKinds.ConfigLoad, Actor = new EventActor { Subject = "proctor" }, Location = null },
            "alice calls crm, a month later" => call with { Time = At.AddMonths(1) },
            "alice calls crm, the period's first millisecond" => call with { Time = November.From },
            _ => call with { Time = November.To },
        };
    }
}
