using System.Text.Json;
using Proctor.Evidence.Reports.Sessions;

namespace Proctor.Evidence.Tests.Reports;

public sealed class SessionTranscriptsTests
{
    [Fact]
    public async Task Write_TwoSessions_OneTranscriptEachWithItsEventsInOrder()
    {
        var events = new GatewayEvents()
            .Call("alice", "crm", "lookup", "s-1")
            .Call("bob", "crm", "lookup", "s-2")
            .Call("alice", "crm", "update", "s-1");

        var files = await ReportHarness.RunAsync(events.Events);

        var transcript = files.Json("reports/sessions/s-1.json");
        Assert.Equal("s-1", transcript.GetProperty("session_id").GetString());
        var rows = transcript.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal([0L, 1L, 4L, 5L], rows.Select(row => row.GetProperty("index").GetInt64()));
        Assert.Equal("update", rows[2].GetProperty("action").GetProperty("name").GetString());
        Assert.Equal(2, files.Json("reports/sessions/s-2.json").GetProperty("events").GetArrayLength());
        Assert.Equal(2, files.Json("reports/summary.json").GetProperty("transcripts").GetArrayLength());
    }

    [Fact]
    public async Task Write_SessionSpanningThePeriodAndAFilter_KeepsOnlyThePackagesEvents()
    {
        var events = new GatewayEvents()
            .Call("alice", "crm", "lookup", "s-1")
            .Call("alice", "bank", "lookup", "s-1")
            .Wait(TimeSpan.FromDays(40))
            .Call("alice", "crm", "late", "s-1");
        var request = new ExportRequest(ReportHarness.From, ReportHarness.To, Server: "crm");

        var files = await ReportHarness.RunAsync(events.Events, request: request);

        var rows = files.Json("reports/sessions/s-1.json").GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.Equal("crm", row.GetProperty("location").GetProperty("server").GetString()));
        Assert.All(rows, row => Assert.Equal("lookup", row.GetProperty("action").GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("<script>")]
    [InlineData("")]
    public void FileNameOf_UnsafeSessionId_IsNamedByItsHash(string sessionId)
    {
        var name = SessionTranscripts.FileNameOf(sessionId);

        Assert.StartsWith("sha256-", name);
        Assert.Equal(7 + 64, name.Length);
    }

    [Fact]
    public void FileNameOf_PlainSessionId_IsKept() =>
        Assert.Equal("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", SessionTranscripts.FileNameOf("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"));
}
