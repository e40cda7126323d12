using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Relay;

/// <summary>
/// Session-era clients whose connection drops in the middle of a call resume it with <c>Last-Event-ID</c>
/// (Streamable HTTP 2025-11-25, "Resumability and Redelivery"): what they missed arrives once, on the stream it
/// belongs to, and ids that are not theirs are refused.
/// </summary>
[Collection(nameof(EverythingCollection))]
public sealed class StreamResumptionTests(EverythingUpstreams upstreams)
{
    private const int Steps = 4;

    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("everything")]
    [InlineData("remote")]
    public async Task TypeScriptClient_ConnectionCutMidCall_ResumesAndGetsEveryMissedEventOnce(string route)
    {
        var script = Path.Combine(Peers.RepositoryRoot, "tests", "node", "ts-resume.mjs");
        await using var node = ChildProcess.Start(Peers.Node22, [script, upstreams.Gateway.Mcp(route).ToString(), Steps.ToString()], workingDirectory: Path.GetDirectoryName(script));

        var exit = await node.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 0, node.Output);
        var seen = JsonNode.Parse(node.Output.Split('\n').Last(l => l.StartsWith('{')))!;
        Assert.InRange((int)seen["progressBeforeCut"]!, 1, Steps - 1); // cut mid-call, not after it
        Assert.Equal(Enumerable.Range(1, Steps), seen["progress"]!.AsArray().Select(p => (int)p!));
        Assert.Single(seen["responses"]!.AsArray());
        Assert.Contains("Long running operation completed", (string?)seen["result"], StringComparison.Ordinal);
        Assert.NotEmpty(seen["resumedWith"]!.AsArray());
        Assert.Equal(200, (int)seen["resumeStatuses"]!.AsArray()[0]!);
    }

    [Theory]
    [InlineData("everything")]
    [InlineData("remote")]
    public async Task RawClient_DropsAfterTheFirstProgress_GetWithLastEventIdReplaysTheRestOnce(string route)
    {
        var endpoint = upstreams.Gateway.Mcp(route);
        var headers = await OpenSessionAsync(endpoint);

        string lastSeen;
        var before = new List<SseEvent>();
        await using (var call = await SseReader.SendAsync(HttpMethod.Post, endpoint, headers, LongCall("call-1")))
        {
            Assert.Equal("text/event-stream", call.Response.Content.Headers.ContentType?.MediaType);
            while (await call.NextAsync(Within) is { } next)
            {
                before.Add(next);
                if (next.Data.Contains("notifications/progress", StringComparison.Ordinal))
                {
                    break;
                }
            }

            lastSeen = before[^1].Id!;
        }

        await using var resumed = await SseReader.SendAsync(HttpMethod.Get, endpoint, new Dictionary<string, string>(headers) { ["Last-Event-ID"] = lastSeen });
        var after = await resumed.RestAsync(Within);

        Assert.Equal(200, (int)resumed.Response.StatusCode);
        Assert.True(before[0].Data.Length == 0 && before[0].Id is not null, "the stream is primed with an id before anything else");
        var messages = before.Concat(after).Where(e => e.Data.Length > 0).Select(e => JsonNode.Parse(e.Data)!).ToList();
        Assert.Equal(Enumerable.Range(1, Steps), messages.Where(m => (string?)m["method"] == "notifications/progress").Select(m => (int)m["params"]!["progress"]!));
        Assert.Equal("call-1", (string?)Assert.Single(messages, m => m["result"] is not null)["id"]);
        Assert.Equal("call-1", (string?)messages[^1]["id"]); // the answer is last, and the stream ends after it
        Assert.All(after, e => Assert.NotNull(e.Id));
        Assert.Equal(before.Concat(after).Count(), before.Concat(after).Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task HostileLastEventIds_RefusedWithoutAStreamAndTheSessionStillResumes()
    {
        var endpoint = upstreams.Gateway.Mcp("everything");
        var mine = await OpenSessionAsync(endpoint);
        var theirs = await OpenSessionAsync(endpoint);
        var myIds = await CallToTheEndAsync(endpoint, mine);
        var theirIds = await CallToTheEndAsync(endpoint, theirs);
        var parts = myIds[0].Split('-');
        var hostile = new List<string>
        {
            theirIds[0], theirIds[^1], // another session's ids (same owner): never this session's streams
            $"{parts[0]}-{parts[1]}-{long.MaxValue}", $"{parts[0]}-999-1", $"{parts[0]}-0-0", // this session's log, never issued
            // Malformed (HTTP trims surrounding spaces and HttpClient sends only ASCII: the unit tests cover those).
            "garbage", "1", "-1", "1-2", "1-2-3-4", "0x1-1-1", "1-1-+1", "1--1-1", "1-1-1\t1",
            "99999999999999999999999999-1-1", new string('9', 8000), string.Concat(Enumerable.Repeat("1-", 2000)) + "1",
        };

        var failures = new List<string>();
        foreach (var value in hostile)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
            request.Headers.Accept.ParseAdd("text/event-stream");
            foreach (var (name, header) in mine)
            {
                request.Headers.TryAddWithoutValidation(name, header);
            }

            request.Headers.TryAddWithoutValidation("Last-Event-ID", value);
            using var response = await Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var shown = value.Length > 40 ? value[..40] + "…" : value;
            if ((int)response.StatusCode != 400 || response.Content.Headers.ContentType?.MediaType != "application/json" || text.Length > 1_000)
            {
                failures.Add($"{shown}: {(int)response.StatusCode} {response.Content.Headers.ContentType} {text[..Math.Min(text.Length, 200)]}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));

        // The hard negative: this session's own id still resumes (its call ended: the replay is all there is).
        await using var resumed = await SseReader.SendAsync(HttpMethod.Get, endpoint, new Dictionary<string, string>(mine) { ["Last-Event-ID"] = myIds[^2] });
        var replayed = await resumed.RestAsync(Within);
        Assert.Equal(200, (int)resumed.Response.StatusCode);
        Assert.Equal(myIds[^1], Assert.Single(replayed).Id);
    }

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static string LongCall(string id) =>
        new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id,
            ["method"] = "tools/call",
            ["params"] = new JsonObject
            {
                ["name"] = "trigger-long-running-operation",
                ["arguments"] = new JsonObject { ["duration"] = Steps / 2, ["steps"] = Steps },
                ["_meta"] = new JsonObject { ["progressToken"] = "resume-token" },
            },
        }.ToJsonString();

    private static async Task<Dictionary<string, string>> OpenSessionAsync(Uri endpoint)
    {
        var session = await RawMcp.InitializeAsync(endpoint);
        var headers = new Dictionary<string, string> { ["Mcp-Session-Id"] = session, ["MCP-Protocol-Version"] = "2025-11-25" };
        await RawMcp.PostAsync(endpoint, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", headers);
        return headers;
    }

    /// <summary>Runs a call with progress to its answer and returns the ids of every event its stream carried.</summary>
    private static async Task<List<string>> CallToTheEndAsync(Uri endpoint, Dictionary<string, string> headers)
    {
        await using var call = await SseReader.SendAsync(HttpMethod.Post, endpoint, headers, LongCall("call"));
        return [.. (await call.RestAsync(Within)).Select(e => e.Id!)];
    }
}
