using System.Net;
using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Infrastructure;
using Proctor.Identity.AgentKeys;
using Proctor.Storage.Sqlite.AgentKeys;

namespace Proctor.FunctionalTests.Api;

/// <summary>
/// The read-only REST API through the real gateway with real signed tokens: an auditor lists, shows and
/// replays the analyst's session (masked), fetches the signed checkpoint and a proof that verifies offline
/// with the CLI; everyone else is refused, and every read the auditor makes is itself in the ledger.
/// </summary>
public sealed class ExaminerApiTests(ExaminerApiGateway fixture) : IClassFixture<ExaminerApiGateway>
{
    [Fact]
    public async Task Sessions_AsAuditor_ListsTheAnalystsSession_FilteredByIdentityAndServer()
    {
        var auditor = await fixture.TokenAsync("auditor");

        var mine = await JsonAsync(await fixture.GetAsync("/api/sessions?identity=alice&since=2020-01-01&limit=10", auditor));
        var onBank = await JsonAsync(await fixture.GetAsync("/api/sessions?server=bank", auditor));
        var nobody = await JsonAsync(await fixture.GetAsync("/api/sessions?identity=nobody", auditor));
        var future = await JsonAsync(await fixture.GetAsync("/api/sessions?since=2999-01-01T00:00Z", auditor));

        var session = Assert.Single(mine.AsArray())!;
        Assert.Equal("alice", (string)session["subject"]!);
        Assert.Equal(8, (int)session["events"]!); // open, three requests, three responses, close
        Assert.Equal((string)session["session_id"]!, (string)Assert.Single(onBank.AsArray())!["session_id"]!);
        Assert.Equal("bank", (string)onBank[0]!["server"]!);
        Assert.Empty(nobody.AsArray());
        Assert.Empty(future.AsArray());
    }

    [Fact]
    public async Task SessionShow_AsAuditor_OneRowPerEvent_InLedgerOrder()
    {
        var auditor = await fixture.TokenAsync("auditor");
        var id = await AnalystSessionAsync(auditor);

        var shown = await JsonAsync(await fixture.GetAsync($"/api/sessions/{id}", auditor));

        var rows = shown["events"]!.AsArray();
        Assert.Equal(id, (string)shown["session_id"]!);
        Assert.Equal(0, (int)shown["purged_events"]!);
        Assert.Equal(["session.open", "call.request", "call.response", "call.request", "call.response", "call.request", "call.response", "session.close"], rows.Select(r => (string)r!["kind"]!));
        Assert.Equal(rows.Select(r => (long)r!["index"]!).Order(), rows.Select(r => (long)r!["index"]!));
        Assert.Equal("search_customers", (string)rows[1]!["name"]!);
        Assert.Contains("ssn", rows[2]!["masked_entities"]!.AsObject().Select(p => p.Key));
        Assert.Null(rows[1]!["arguments"]); // show is the overview; replay carries the payloads
    }

    [Fact]
    public async Task SessionReplay_AsAuditor_TheConversationInOrder_WithTiming_AndNoUnmaskedSsn()
    {
        var auditor = await fixture.TokenAsync("auditor");
        var id = await AnalystSessionAsync(auditor);

        using var response = await fixture.GetAsync($"/api/sessions/{id}/replay", auditor);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = JsonNode.Parse(text)!["events"]!.AsArray();
        var calls = events.Where(e => ((string)e!["kind"]!).StartsWith("call.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["search_customers", "get_customer", "get_account_balance"], calls.Where((_, i) => i % 2 == 0).Select(e => (string)e!["action"]!["name"]!));
        Assert.Equal(3, (int)calls[0]!["action"]!["arguments"]!["limit"]!);
        Assert.Equal(events.Select(e => (double)e!["offset_ms"]!).Order(), events.Select(e => (double)e!["offset_ms"]!));
        Assert.Contains("ssn", calls[1]!["traffic"]!["masked_entities"]!.AsObject().Select(p => p.Key));
        Assert.Contains("***-**-", text, StringComparison.Ordinal); // the bank's SSNs are there, masked
        Assert.DoesNotMatch(@"\b\d{3}-\d{2}-\d{4}\b", text);
    }

    [Fact]
    public async Task CheckpointAndProof_AsAuditor_TheProofVerifiesOfflineWithTheCli()
    {
        var auditor = await fixture.TokenAsync("auditor");
        var id = await AnalystSessionAsync(auditor);
        var response = (await JsonAsync(await fixture.GetAsync($"/api/sessions/{id}", auditor)))["events"]!.AsArray().First(r => (string)r!["kind"]! == "call.response")!;
        var checkpoint = await CheckpointCoveringAsync((long)response["index"]!, auditor);
        var key = Path.Combine(fixture.Gateway.DataFolder, "ledger-public.key");

        using var proofResponse = await fixture.GetAsync($"/api/audit/events/{(string)response["id"]!}/proof", auditor);
        var proof = Path.Combine(fixture.Gateway.DataFolder, $"proof-{Guid.NewGuid():n}.json");
        await File.WriteAllTextAsync(proof, await proofResponse.Content.ReadAsStringAsync());
        var (exit, output) = await ProctorCli.RunAsync("audit", "verify-proof", proof, "--key", key, "--json");

        Assert.Equal(HttpStatusCode.OK, proofResponse.StatusCode);
        Assert.StartsWith("proctor-ledger/", (string)checkpoint["origin"]!, StringComparison.Ordinal);
        Assert.Contains((string)checkpoint["root_hash"]!, (string)checkpoint["note"]!, StringComparison.Ordinal);
        Assert.Equal((await File.ReadAllTextAsync(key)).Trim(), (string)checkpoint["verifier_key"]!);
        Assert.True(exit == 0, output);
        Assert.True((bool)JsonNode.Parse(output)!["valid"]!, output);
        Assert.Equal((long)response["index"]!, (long)JsonNode.Parse(output)!["index"]!);
    }

    [Fact]
    public async Task Verify_AsAuditor_TheLedgerIsIntact()
    {
        var verified = await JsonAsync(await fixture.GetAsync("/api/audit/verify", await fixture.TokenAsync("auditor")));

        Assert.True((bool)verified["intact"]!, verified.ToJsonString());
        Assert.True((long)verified["entries"]! >= 10, verified.ToJsonString());
    }

    [Fact]
    public async Task Reads_AsAuditor_AreEachRecordedInTheLedger_AsAuditReadWithWhoAndWhat()
    {
        var auditor = await fixture.TokenAsync("auditor");
        var marker = $"/api/sessions/no-such-session-{Guid.NewGuid():n}";

        using var response = await fixture.GetAsync(marker, auditor);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var read = (await Evidence.StoredEvents.ReadAsync(fixture.Gateway.DatabasePath)).FirstOrDefault(e => e.Kind == "audit.read" && e.Text.Contains(marker, StringComparison.Ordinal));
        Assert.True(read is not null, "the auditor's read is not in the ledger");
        Assert.Equal("carol", (string)read.Event!["actor"]!["subject"]!);
        Assert.Contains("\"auth_method\":\"oidc\"", read.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_WhenTheLedgerCannotRecordThem_AreRefusedWith503_ThenServedAgain()
    {
        var auditor = await fixture.TokenAsync("auditor");
        HttpResponseMessage refused;
        // .NET takes an exclusive flock(2) for FileShare.None: another process holding the log's writer lock.
        await using (new FileStream(Path.Combine(Path.ChangeExtension(fixture.Gateway.DatabasePath, ".ledger"), "lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            refused = await fixture.GetAsync("/api/sessions", auditor);
        }

        Assert.StartsWith("The read could not be recorded in the ledger, so it is not served",
            await ErrorAsync(refused, HttpStatusCode.ServiceUnavailable, "ledger_unavailable"), StringComparison.Ordinal);

        Assert.NotEmpty((await JsonAsync(await fixture.GetAsync("/api/sessions", auditor))).AsArray());
    }

    [Fact]
    public async Task Api_AsAnalystWithoutTheRole_Is403_NamingTheRole()
    {
        var response = await fixture.GetAsync("/api/sessions", await fixture.TokenAsync("analyst"));

        Assert.Contains("auditor", await ErrorAsync(response, HttpStatusCode.Forbidden, "insufficient_role"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_WithAnAgentKeyInTheAuditorsGroup_Is403_AgentKeysHoldNoRole()
    {
        var secret = AgentKeyFormat.NewKey();
        var now = DateTimeOffset.UtcNow;
        await new SqliteAgentKeyStore(fixture.Gateway.DatabasePath).AddAsync(
            new AgentKey(AgentKeyFormat.NewId(), $"reader-{Guid.NewGuid():n}", ["auditors"], now, now.AddHours(1), null), AgentKeyFormat.Hash(secret), CancellationToken.None);

        var response = await fixture.GetAsync("/api/sessions", secret);

        Assert.StartsWith("Agent keys hold no role", await ErrorAsync(response, HttpStatusCode.Forbidden, "insufficient_role"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_WithoutAToken_Is401_WithAChallenge()
    {
        var response = await fixture.GetAsync("/api/sessions", bearer: null);

        Assert.StartsWith("Bearer resource_metadata=", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await ErrorAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Api_WithATamperedToken_Is401()
    {
        var escalated = OidcProvider.Tamper(await fixture.TokenAsync("analyst"));

        using var response = await fixture.GetAsync("/api/sessions", escalated);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/sessions/no-such-session", "unknown_session")]
    [InlineData("/api/sessions/no-such-session/replay", "unknown_session")]
    [InlineData("/api/audit/events/no-such-event/proof", "unknown_event")]
    [InlineData("/api/no-such-endpoint", "unknown_endpoint")]
    public async Task Api_UnknownThing_Is404_WithAJsonError(string path, string error)
    {
        var response = await fixture.GetAsync(path, await fixture.TokenAsync("auditor"));

        await ErrorAsync(response, HttpStatusCode.NotFound, error);
    }

    [Theory]
    [InlineData("since=yesterday", "'since' ('yesterday') is not a time")]
    [InlineData("until=2026-13-45", "'until' ('2026-13-45') is not a time")]
    [InlineData("limit=0", "'limit' ('0') must be a whole number from 1 to 1000")]
    [InlineData("subject=alice", "'subject' is not a filter of /api/sessions; use identity, server, since, until, limit")]
    public async Task Sessions_BadFilter_Is400_NamingTheParameter(string query, string message)
    {
        var response = await fixture.GetAsync($"/api/sessions?{query}", await fixture.TokenAsync("auditor"));

        Assert.StartsWith(message, await ErrorAsync(response, HttpStatusCode.BadRequest, "bad_filter"), StringComparison.Ordinal);
    }

    private async Task<string> AnalystSessionAsync(string auditor) =>
        (string)Assert.Single((await JsonAsync(await fixture.GetAsync("/api/sessions?identity=alice", auditor))).AsArray())!["session_id"]!;

    /// <summary>The latest checkpoint once it covers <paramref name="index"/>: the gateway signs every 10 s.</summary>
    private async Task<JsonNode> CheckpointCoveringAsync(long index, string auditor)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var response = await fixture.GetAsync("/api/audit/checkpoint", auditor);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var checkpoint = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                if ((long)checkpoint["tree_size"]! > index)
                {
                    return checkpoint;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"No checkpoint covers index {index} after 30 s (last answer {(int)response.StatusCode}).");
            await Task.Delay(500);
        }
    }

    /// <summary>Asserts the API's JSON error (status and code) and returns its message.</summary>
    private static async Task<string> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        using (response)
        {
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(error, (string)body["error"]!);
            return (string)body["message"]!;
        }
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            return JsonNode.Parse(text)!;
        }
    }
}
