using System.Net;
using System.Text.Json.Nodes;

namespace Proctor.FunctionalTests.Api;

/// <summary><c>GET /api/audit/events</c>: the audit search over single events, paged, for ledger readers only, and recorded.</summary>
public sealed class EventSearchApiTests(ExaminerApiGateway fixture) : IClassFixture<ExaminerApiGateway>
{
    [Fact]
    public async Task Search_AsAuditor_ByIdentityToolAndOutcome_PagesNewestFirst_AndIsRecorded()
    {
        var auditor = await fixture.TokenAsync("auditor");
        var first = await PageAsync("identity=alice&limit=2", auditor);
        var events = first["events"]!.AsArray();
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal("alice", (string?)e!["subject"]));
        var second = await PageAsync($"identity=alice&limit=2&before={(long)first["next"]!}", auditor);
        Assert.All(second["events"]!.AsArray(), e => Assert.True((long)e!["index"]! < (long)events[1]!["index"]!));

        var call = (await PageAsync("identity=alice&limit=1000", auditor))["events"]!.AsArray().First(e => e!["name"] is not null && e["outcome"] is not null)!;
        var (tool, outcome) = ((string)call["name"]!, (string)call["outcome"]!);
        var marker = Guid.NewGuid().ToString("n");
        var matching = (await PageAsync($"identity=alice&tool={Uri.EscapeDataString(tool)}&outcome={outcome}&until=2999-01-01&server={call["server"]}&since=2020-01-01&limit=1000&before={long.MaxValue}", auditor))["events"]!.AsArray();
        Assert.Contains(matching, e => (long)e!["index"]! == (long)call["index"]!);
        Assert.All(matching, e => Assert.True((string?)e!["name"] == tool && (string?)e["outcome"] == outcome));
        Assert.Empty((await PageAsync($"tool={Uri.EscapeDataString(tool.ToUpperInvariant())}x&identity={marker}", auditor))["events"]!.AsArray());

        var read = (await Evidence.StoredEvents.ReadAsync(fixture.Gateway.DatabasePath)).FirstOrDefault(e => e.Kind == "audit.read" && e.Text.Contains(marker, StringComparison.Ordinal));
        Assert.True(read is not null, "the search is not recorded as an audit read");
    }

    [Fact]
    public async Task Search_AsAnalyst_IsForbidden()
    {
        using var response = await fixture.GetAsync("/api/audit/events?tool=transfer_funds", await fixture.TokenAsync("analyst"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("status=ok", "'status' is not a filter of /api/audit/events")]
    [InlineData("tool=a&tool=b", "'tool' is given more than once")]
    [InlineData("before=-1", "'before' ('-1') must be a ledger index")]
    [InlineData("limit=1001", "'limit' ('1001') must be a whole number from 1 to 1000")]
    [InlineData("since=monday", "'since' ('monday') is not a time")]
    public async Task Search_BadFilter_Is400_NamingTheParameter(string query, string message)
    {
        using var response = await fixture.GetAsync($"/api/audit/events?{query}", await fixture.TokenAsync("auditor"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("bad_filter", (string?)body["error"]);
        Assert.StartsWith(message, (string?)body["message"], StringComparison.Ordinal);
    }

    private async Task<JsonNode> PageAsync(string query, string token)
    {
        using var response = await fixture.GetAsync($"/api/audit/events?{query}", token);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!;
    }
}
