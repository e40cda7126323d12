using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Proctor.Bench.Approvals;

// How fast a decision reaches a held caller (issue 12's goal: 50 ms). The analyst's transfer above $10,000 is held
// by `proctor demo` (session era, C# SDK client); once the request is listed, the supervisor approves it over REST,
// and the clock runs from sending the approval to the caller's answer. Each round is a new request (new amount).
// Run: dotnet run -c Release --project bench/Proctor.Bench.Approvals -- [ROUNDS]
var rounds = args is [var given] ? int.Parse(given, CultureInfo.InvariantCulture) : 40;
var root = AppContext.BaseDirectory;
while (!File.Exists(Path.Combine(root, "Proctor.sln")))
{
    root = Path.GetDirectoryName(root.TrimEnd('/')) ?? throw new InvalidOperationException("run from inside the repository");
}

await using var demo = await DemoProcess.StartAsync(Path.Combine(root, "src", "Proctor", "bin", "Release", "net10.0", "proctor.dll"), TimeSpan.FromSeconds(90));
using var api = new HttpClient { BaseAddress = demo.Listen, Timeout = TimeSpan.FromSeconds(30) };
api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", demo.Credential("supervisor"));
await using var analyst = await McpClient.CreateAsync(
    new HttpClientTransport(new HttpClientTransportOptions
    {
        Endpoint = new Uri(demo.Listen, "/mcp"),
        TransportMode = HttpTransportMode.StreamableHttp,
        AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {demo.Credential("analyst")}" },
    }),
    new McpClientOptions { ProtocolVersion = "2025-11-25", ClientInfo = new Implementation { Name = "proctor-approvals-bench", Version = "1.0.0" } });
var (from, to) = await RichestAccountsAsync(root);

var toAnswer = new List<double>();
var toDecided = new List<double>();
var afterDecided = new List<double>();
for (var round = 0; round < rounds + 3; round++)
{
    // Money goes back and forth between the two richest accounts, so every transfer can run.
    var (source, target) = round % 2 == 0 ? (from, to) : (to, from);
    var arguments = new Dictionary<string, object?> { ["from_account"] = source, ["to_account"] = target, ["amount"] = 10_001 + round, ["memo"] = "release bench" };
    var call = analyst.CallToolAsync("bank__transfer_funds", arguments).AsTask();
    var id = await PendingIdAsync(api, call);
    await Task.Delay(100); // the call is now waiting on its request, as a held call does when an approver acts
    var clock = Stopwatch.StartNew();
    using var decision = await api.PostAsync($"/api/approvals/{id}/approve", null);
    var decided = clock.Elapsed.TotalMilliseconds;
    var result = await call;
    var answered = clock.Elapsed.TotalMilliseconds;
    if (!decision.IsSuccessStatusCode || result.IsError == true)
    {
        throw new InvalidOperationException($"round {round}: approval answered {(int)decision.StatusCode}, the call {(result.IsError == true ? "failed: " + string.Join(" ", result.Content.OfType<TextContentBlock>().Select(t => t.Text)) : "ran")}");
    }

    if (round >= 3) // the first rounds warm the JIT on both sides
    {
        toAnswer.Add(answered);
        toDecided.Add(decided);
        afterDecided.Add(answered - decided);
    }
}

// For comparison: the same transfer below the threshold, which runs at once. A released call pays this too (and its
// approval.use event); the rest of the release latency is the wake-up.
var allowed = new List<double>();
for (var round = 0; round < rounds + 3; round++)
{
    var (source, target) = round % 2 == 0 ? (from, to) : (to, from);
    var clock = Stopwatch.StartNew();
    var result = await analyst.CallToolAsync("bank__transfer_funds", new Dictionary<string, object?> { ["from_account"] = source, ["to_account"] = target, ["amount"] = 100 + round, ["memo"] = "release bench" });
    if (result.IsError == true)
    {
        throw new InvalidOperationException($"the allowed transfer failed: {string.Join(" ", result.Content.OfType<TextContentBlock>().Select(t => t.Text))}");
    }

    if (round >= 3)
    {
        allowed.Add(clock.Elapsed.TotalMilliseconds);
    }
}

Console.WriteLine($"Held-call release through proctor demo, {rounds} approvals over REST (after 3 warm-up rounds), {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}");
Console.WriteLine("| from sending the approval to | p50 ms | p95 ms | max ms |");
Console.WriteLine("|---|---|---|---|");
Console.WriteLine(Row("the caller's answer (release latency)", toAnswer));
Console.WriteLine(Row("the approval's own answer (recorded, decided)", toDecided));
Console.WriteLine(Row("…and from that to the caller's answer", afterDecided));
Console.WriteLine(Row("(for comparison) an allowed transfer, from sending it to its answer", allowed));
return 0;

static string Row(string what, List<double> values)
{
    values.Sort();
    double At(double q) => values[Math.Min(values.Count - 1, (int)Math.Ceiling(q * values.Count) - 1)];
    return string.Create(CultureInfo.InvariantCulture, $"| {what} | {At(0.5):0.0} | {At(0.95):0.0} | {values[^1]:0.0} |");
}

static async Task<string> PendingIdAsync(HttpClient api, Task<CallToolResult> call)
{
    var deadline = Stopwatch.StartNew();
    var body = "";
    while (deadline.Elapsed < TimeSpan.FromSeconds(15))
    {
        if (call.IsCompleted)
        {
            var result = await call;
            throw new InvalidOperationException($"the transfer was not held: {string.Join(" ", result.Content.OfType<TextContentBlock>().Select(t => t.Text))}");
        }

        using var answer = await api.GetAsync("/api/approvals?state=pending");
        body = await answer.Content.ReadAsStringAsync();
        if (!answer.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET /api/approvals answered {(int)answer.StatusCode}: {body}");
        }

        var listed = JsonNode.Parse(body);
        var items = listed as JsonArray ?? listed?["approvals"] as JsonArray;
        if (items is [{ } first, ..])
        {
            return (string)first["id"]!;
        }

        await Task.Delay(5);
    }

    throw new TimeoutException($"the held call made no approval request within 15 s; the last list: {body}");
}

// Account numbers reach callers masked, so they are read from the bank itself (the demo's bank has seed 42).
static async Task<(string From, string To)> RichestAccountsAsync(string root)
{
    var proctor = Path.Combine(root, "src", "Proctor", "bin", "Release", "net10.0", "proctor.dll");
    await using var bank = await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions { Command = "dotnet", Arguments = [proctor, "sample", "bank-server", "--seed", "42"] }));
    var result = await bank.CallToolAsync("run_sql", new Dictionary<string, object?> { ["query"] = "SELECT account_number FROM accounts ORDER BY balance DESC LIMIT 2" });
    var rows = JsonNode.Parse(result.StructuredContent!.Value.GetRawText())!["rows"]!.AsArray();
    return ((string)rows[0]!["account_number"]!, (string)rows[1]!["account_number"]!);
}
