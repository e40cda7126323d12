using System.Net;
using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Relay;

/// <summary>
/// Nothing a client sends reaches an upstream unrecorded (decision 0012): a request method without a usable id
/// is refused and recorded, never forwarded as a notification; a notification the client may send is recorded
/// once per upstream before it is forwarded, and not forwarded when the ledger cannot commit. The upstreams are
/// real TypeScript SDK servers (stdio and Streamable HTTP) that log every message they receive.
/// </summary>
public sealed class ClientMessageRulesTests : IAsyncLifetime
{
    /// <summary>Request methods of the session-era schemas, and the server-to-client ones a client might echo.</summary>
    private static readonly string[] LegacyRequests =
    [
        "initialize", "ping", "completion/complete", "logging/setLevel", "prompts/get", "prompts/list", "resources/list",
        "resources/templates/list", "resources/read", "resources/subscribe", "resources/unsubscribe", "tools/call", "tools/list",
        "tasks/get", "tasks/result", "tasks/list", "tasks/cancel", "sampling/createMessage", "roots/list", "elicitation/create",
    ];

    /// <summary>Request methods of the 2026-07-28 schema.</summary>
    private static readonly string[] ModernRequests =
    [
        "server/discover", "completion/complete", "prompts/get", "prompts/list", "resources/list", "resources/templates/list",
        "resources/read", "subscriptions/listen", "tools/call", "tools/list",
    ];

    private static readonly string?[] Routes = [null, "probe", "probehttp"];

    private string _folder = "";
    private NotificationProbe _stdio = null!;
    private NotificationProbe _http = null!;
    private GatewayUnderTest _gateway = null!;

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("proctor-client-messages-").FullName;
        _stdio = NotificationProbe.Stdio("probe", _folder);
        _http = await NotificationProbe.HttpAsync("probehttp", _folder);
        _gateway = await GatewayUnderTest.StartAsync(_stdio.Yaml + "\n" + _http.Yaml, storageKeys: "lockTimeout: \"1s\""); // refusals while locked wait out the lock timeout
    }

    [Fact]
    public async Task RequestMethodWithoutAUsableId_EveryMethodInBothErasOnEveryRoute_RefusedRecordedAndNeverForwarded()
    {
        var expected = new List<(string Method, string Reason)>();
        foreach (var server in Routes)
        {
            var session = await SessionAsync(server);
            foreach (var (modern, methods) in new[] { (false, LegacyRequests), (true, ModernRequests) })
            {
                foreach (var method in methods)
                {
                    foreach (var id in new[] { "", "\"id\":null," })
                    {
                        var reason = id.Length == 0 ? "protocol.request_without_id" : "protocol.invalid_id";
                        var (status, error) = await PostAsync(server, Body(method, id, $"unrecorded-{expected.Count}", modern), modern ? RawMcp.Modern(method) : session);
                        Assert.True(status == HttpStatusCode.BadRequest && (string?)error?["error"]?["data"]?["reason"] == reason,
                            $"{method} ({(modern ? "2026-07-28" : "session era")}, {(id.Length == 0 ? "no id" : "id null")}) on /mcp/{server}: HTTP {(int)status} {error?.ToJsonString()}");
                        Assert.Equal(-32600, (int)error!["error"]!["code"]!);
                        expected.Add((method, reason));
                    }
                }
            }
        }

        await AssertNeverForwardedAsync("unrecorded-");
        var refused = (await LedgerEvents.ReadAsync(_gateway.DatabasePath, "call.refused")).Select(e => (LedgerEvents.Method(e), LedgerEvents.Reason(e)));
        Assert.Equal(expected.Order(), refused.Order());
    }

    [Fact]
    public async Task RequestMethodWithoutAnId_WhileTheLedgerCannotCommit_StillRefusedAndNeverForwarded()
    {
        var session = await SessionAsync(null);
        List<(HttpStatusCode Status, JsonObject? Error)> answers;
        await using (await LedgerEvents.LockAsync(_gateway.DatabasePath))
        {
            var posts = LegacyRequests.Select((method, i) => PostAsync(null, Body(method, "", $"locked-out-{i}", modern: false), session))
                .Concat(ModernRequests.Select((method, i) => PostAsync(null, Body(method, "", $"locked-out-m{i}", modern: true), RawMcp.Modern(method))));
            answers = [.. await Task.WhenAll(posts)];
        }

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.BadRequest, a.Status));
        Assert.All(answers, a => Assert.Equal("protocol.request_without_id", (string?)a.Error!["error"]!["data"]!["reason"]));
        await AssertNeverForwardedAsync("locked-out-");
    }

    [Fact]
    public async Task AllowedClientNotifications_RecordedOncePerUpstreamThenForwarded_ACancellationRecordedAndNeverForwarded()
    {
        var aggregate = await SessionAsync(null);
        var direct = await SessionAsync("probe");
        string[] forwarded = ["notifications/roots/list_changed", "notifications/progress", "notifications/tasks/status", "notifications/x-vendor/heartbeat"];
        foreach (var (method, i) in forwarded.Select((m, i) => (m, i)))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(null, Notification(method, $"allowed-all-{i}"), aggregate)).Status);
            Assert.Equal(HttpStatusCode.Accepted, (await PostAsync("probe", Notification(method, $"allowed-one-{i}"), direct)).Status);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync("probe", """{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"never-sent","reason":"allowed-cancel"}}""", direct)).Status);

        await _stdio.WaitForAsync($"allowed-one-{forwarded.Length - 1}");
        await _http.WaitForAsync($"allowed-all-{forwarded.Length - 1}");
        Assert.Equal(forwarded.Length * 2, _stdio.Received().Count(m => Marker(m).StartsWith("allowed-", StringComparison.Ordinal)));
        Assert.Equal(forwarded.Length, _http.Received().Count(m => Marker(m).StartsWith("allowed-all-", StringComparison.Ordinal)));
        Assert.DoesNotContain(_stdio.Received().Concat(_http.Received()), m => m.ToJsonString().Contains("allowed-cancel", StringComparison.Ordinal));

        var recorded = await LedgerEvents.ReadAsync(_gateway.DatabasePath, "client.notification");
        foreach (var (method, i) in forwarded.Select((m, i) => (m, i)))
        {
            Assert.Equal(["probe", "probehttp"], recorded.Where(e => Marker(e["details"]!.AsObject()) == $"allowed-all-{i}").Select(LedgerEvents.Server).Order());
            var one = Assert.Single(recorded, e => Marker(e["details"]!.AsObject()) == $"allowed-one-{i}");
            Assert.Equal(("probe", method), (LedgerEvents.Server(one), LedgerEvents.Method(one)));
        }

        // The gateway acts on a cancellation itself: recorded once for the route, never forwarded as the client's message.
        Assert.Single(recorded, e => LedgerEvents.Method(e) == "notifications/cancelled" && LedgerEvents.Server(e) == "probe");
        Assert.DoesNotContain(recorded, e => LedgerEvents.Method(e) == "notifications/initialized"); // part of the opening, on record as session.open
        Assert.All(recorded, e => Assert.Equal("anonymous", (string?)e["actor"]!["subject"]));
    }

    [Fact]
    public async Task AllowedClientNotification_WhileTheLedgerCannotCommit_RefusedAndNotForwarded()
    {
        var session = await SessionAsync(null);
        (HttpStatusCode Status, JsonObject? Error) refused;
        await using (await LedgerEvents.LockAsync(_gateway.DatabasePath))
        {
            refused = await PostAsync(null, Notification("notifications/roots/list_changed", "while-locked"), session);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal("ledger.unavailable", (string?)refused.Error!["error"]!["data"]!["reason"]);
        Assert.Contains("did not act on it or forward it", (string?)refused.Error["error"]!["message"], StringComparison.Ordinal);
        await AssertNeverForwardedAsync("while-locked");
    }

    public static TheoryData<string, bool, string, string> NotificationsRefused => new()
    {
        // body, 2026-07-28, reason, what the upstream would have received
        { """{"jsonrpc":"2.0","id":5,"method":"notifications/roots/list_changed","params":{"marker":"refused-with-id"}}""", false, "protocol.notification_with_id", "refused-with-id" },
        { """{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"x","marker":"refused-server-only"}}""", false, "protocol.notification_not_allowed", "refused-server-only" },
        { """{"jsonrpc":"2.0","method":"x-vendor/ping","params":{"marker":"refused-not-a-notification"}}""", false, "protocol.notification_not_allowed", "refused-not-a-notification" },
        { """{"jsonrpc":"2.0","id":{"n":1},"method":"tools/list","params":{"marker":"refused-object-id"}}""", false, "protocol.invalid_id", "refused-object-id" },
        { $$$"""{"jsonrpc":"2.0","method":"notifications/roots/list_changed","params":{"marker":"refused-modern-roots",{{{RawMcp.ModernMeta}}}}}""", true, "protocol.notification_not_allowed", "refused-modern-roots" },
        { $$$"""{"jsonrpc":"2.0","method":"notifications/initialized","params":{"marker":"refused-modern-initialized",{{{RawMcp.ModernMeta}}}}}""", true, "protocol.notification_not_allowed", "refused-modern-initialized" },
    };

    [Theory]
    [MemberData(nameof(NotificationsRefused))]
    public async Task NotificationTheClientMayNotSend_RefusedRecordedAndNeverForwarded(string body, bool modern, string reason, string marker)
    {
        foreach (var server in Routes)
        {
            var method = (string?)JsonNode.Parse(body)!["method"];
            var (status, error) = await PostAsync(server, body, modern ? RawMcp.Modern(method!) : await SessionAsync(server));

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(reason, (string?)error!["error"]!["data"]!["reason"]);
        }

        await AssertNeverForwardedAsync(marker);
        var refused = await LedgerEvents.ReadAsync(_gateway.DatabasePath, "call.refused");
        Assert.Equal(Routes.Length, refused.Count(e => LedgerEvents.Reason(e) == reason));
    }

    [Fact]
    public async Task ModernCancellation_AcceptedAndRecorded_TheOnlyNotificationA2026ClientMaySend()
    {
        var (status, _) = await PostAsync("probe", $$$"""{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1,"reason":"modern-cancel",{{{RawMcp.ModernMeta}}}}}""", RawMcp.Modern("notifications/cancelled"));

        Assert.Equal(HttpStatusCode.Accepted, status);
        var recorded = Assert.Single(await LedgerEvents.ReadAsync(_gateway.DatabasePath, "client.notification"));
        Assert.Equal("2026-07-28", (string?)recorded["location"]!["protocol_version"]);
        await AssertNeverForwardedAsync("modern-cancel");
    }

    private async Task<Dictionary<string, string>> SessionAsync(string? server)
    {
        var headers = new Dictionary<string, string> { ["Mcp-Session-Id"] = await RawMcp.InitializeAsync(_gateway.Mcp(server)), ["MCP-Protocol-Version"] = "2025-11-25" };
        var (initialized, _) = await RawMcp.PostAsync(_gateway.Mcp(server), """{"jsonrpc":"2.0","method":"notifications/initialized"}""", headers);
        Assert.Equal(HttpStatusCode.Accepted, initialized.StatusCode);
        return headers;
    }

    private async Task<(HttpStatusCode Status, JsonObject? Error)> PostAsync(string? server, string body, IDictionary<string, string> headers)
    {
        var (response, answer) = await RawMcp.PostAsync(_gateway.Mcp(server), body, headers);
        using (response)
        {
            return (response.StatusCode, answer);
        }
    }

    private static string Body(string method, string id, string marker, bool modern) => modern
        ? $$$"""{"jsonrpc":"2.0",{{{id}}}"method":"{{{method}}}","params":{"marker":"{{{marker}}}","name":"whisper","uri":"probe://item",{{{RawMcp.ModernMeta}}}}}"""
        : $$$"""{"jsonrpc":"2.0",{{{id}}}"method":"{{{method}}}","params":{"marker":"{{{marker}}}","name":"whisper","uri":"probe://item","level":"debug"}}""";

    private static string Notification(string method, string marker) => $$$"""{"jsonrpc":"2.0","method":"{{{method}}}","params":{"marker":"{{{marker}}}","progressToken":"t","progress":1,"taskId":"t","status":"working"}}""";

    private static string Marker(JsonObject message) => (string?)message["params"]?["marker"] ?? "";

    /// <summary>
    /// Sends a notification both upstreams receive and waits until they have it: each link delivers in order, so
    /// anything the gateway had forwarded before would have arrived by then.
    /// </summary>
    private async Task AssertNeverForwardedAsync(string marker)
    {
        var sentinel = $"sentinel-{Guid.NewGuid():N}";
        var session = await SessionAsync(null);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(null, Notification("notifications/x-vendor/sentinel", sentinel), session)).Status);
        await _stdio.WaitForAsync(sentinel);
        await _http.WaitForAsync(sentinel);
        Assert.DoesNotContain(_stdio.Received(), m => m.ToJsonString().Contains(marker, StringComparison.Ordinal));
        Assert.DoesNotContain(_http.Received(), m => m.ToJsonString().Contains(marker, StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _http.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
