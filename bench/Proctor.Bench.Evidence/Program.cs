using System.Diagnostics;
using System.Text.Json;
using Proctor.Evidence;
using Proctor.Evidence.Export;
using Proctor.Evidence.Reports;
using Proctor.Evidence.Verification;
using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;
using Proctor.Storage.Sqlite.Ledger;

// dotnet run -c Release --project bench/Proctor.Bench.Evidence -- generate|export|verify FOLDER [N | identity]
// Each phase runs in its own process, so the peak working set it prints is that phase's alone.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: generate FOLDER [events=1000000] | export FOLDER [identity] | verify FOLDER [identity]");
    return 2;
}
var (phase, folder) = (args[0], args[1]);
var database = Path.Combine(folder, "proctor.db");
var clock = Stopwatch.StartNew();
string result;
switch (phase)
{
    case "generate":
        Directory.CreateDirectory(folder);
        result = await Generate.RunAsync(database, Path.Combine(folder, "ledger-signing.key"), args.Length > 2 ? long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
        break;
    case "export":
    {
        await using var store = await SqliteLedgerStore.OpenAsync(database);
        using var signer = EcdsaFileSigner.OpenOrCreate(Path.Combine(folder, "ledger-signing.key"), "proctor-ledger");
        var identity = args.Length > 2 ? args[2] : null;
        await using var output = File.Create(Path.Combine(folder, $"evidence{(identity is null ? "" : "-" + identity)}.zip"));
        var summary = await new EvidenceExporter(store, signer, new EvidenceExporterOptions { Reports = () => new EvidenceReports(BenchReports.Settings) }).ExportAsync(
            new ExportRequest(Generate.Start, Generate.Start.AddYears(1), null, identity), output, null, default);
        result = $"{summary.EventsIncluded:N0} events included, {summary.EventsWithheld:N0} withheld, {summary.Bytes / 1e6:F1} MB";
        break;
    }
    case "verify":
    {
        using var signer = EcdsaFileSigner.OpenOrCreate(Path.Combine(folder, "ledger-signing.key"), "proctor-ledger");
        var identity = args.Length > 2 ? args[2] : null;
        await using var package = File.OpenRead(Path.Combine(folder, $"evidence{(identity is null ? "" : "-" + identity)}.zip"));
        var verdict = PackageVerifier.Verify(package, signer.PublicKey, null);
        result = verdict.Verified ? $"verified, {verdict.EventsIncluded:N0} events" : $"NOT verified: {string.Join("; ", verdict.Problems.Select(p => p.Message))}";
        break;
    }
    default:
        Console.Error.WriteLine($"unknown phase {phase}");
        return 2;
}
Console.WriteLine($"{phase}: {clock.Elapsed.TotalSeconds:F1} s, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB; {result}");
return 0;

/// <summary>
/// Sessions of 40 calls by 200 identities on 6 servers, each call a request and a response with masked arguments and
/// results, plus session open/close: about the shape the gateway records. One event every 30 ms from <see cref="Start"/>.
/// </summary>
internal static class Generate
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Servers = ["core-banking", "crm", "payments", "cards", "loans", "kyc"];
    private static readonly string[] Tools = ["get_customer", "search_customers", "get_account_balance", "list_transactions", "get_card", "open_ticket"];

    public static async Task<string> RunAsync(string database, string keyPath, long total)
    {
        await using var store = await SqliteLedgerStore.OpenAsync(database);
        using var signer = EcdsaFileSigner.OpenOrCreate(keyPath, "proctor-ledger");
        var batch = new List<EntryDraft>(1_024);
        for (long i = 0; i < total; i++)
        {
            batch.Add(EntryDraft.From(Event(i)));
            if (batch.Count == 1_024 || i == total - 1)
            {
                await store.AppendAsync(batch, default);
                batch.Clear();
            }
        }
        var checkpoint = await new Checkpointer(store, signer, new CheckpointerOptions { Origin = "proctor-ledger/bench" }, TimeProvider.System).CheckpointAsync(default);
        return $"{total:N0} events, checkpoint of size {checkpoint!.TreeSize:N0}";
    }

    private static LedgerEvent Event(long i)
    {
        var session = i / 82;
        var step = i % 82;
        var subject = $"user{session % 200:D3}";
        var server = Servers[session % Servers.Length];
        var time = Start.AddMilliseconds(i * 30);
        var common = new LedgerEvent
        {
            Id = Guid.CreateVersion7(time).ToString(),
            Kind = EventKinds.SessionOpen,
            Time = time,
            Actor = new EventActor { Subject = subject, Issuer = "https://idp.bank.example", Groups = ["analysts"], AuthMethod = "bearer", Amr = ["pwd", "otp"], SourceAddress = "10.1.2.3" },
            Location = new EventLocation { Server = server, Transport = "streamable-http", ProtocolVersion = "2025-11-25", GatewayNode = "gw-1", SessionId = $"s-{session:D7}" },
        };
        if (step == 0 || step == 81)
        {
            return common with { Kind = step == 0 ? EventKinds.SessionOpen : EventKinds.SessionClose };
        }
        var call = (step - 1) / 2;
        var tool = Tools[(session + call) % Tools.Length];
        return step % 2 == 1
            ? common with
            {
                Kind = EventKinds.CallRequest,
                CallId = $"c-{session}-{call}",
                Action = new EventAction { Method = "tools/call", Name = tool, Arguments = JsonSerializer.SerializeToElement(new { customer_id = "[MASKED:customer_id]", ssn = "tok_3f9a2c7e", query = "balance since last month" }) },
                Decision = new EventDecision { Effect = "allow", Rule = "analysts-read", PolicyHash = "sha256:4be1c0de", ReasonCode = "policy.allowed" },
            }
            : common with
            {
                Kind = EventKinds.CallResponse,
                CallId = $"c-{session}-{call}",
                Action = new EventAction { Method = "tools/call", Name = tool },
                Outcome = new EventOutcome { Status = "ok", Summary = "3 items" },
                Traffic = new EventTraffic { LatencyMs = 12.5, BytesIn = 180, BytesOut = 2_400, ItemsReturned = 3, MaskedEntities = new Dictionary<string, int> { ["ssn"] = 1, ["pan"] = 2 } },
            };
    }
}

/// <summary>A bank's usual masking configuration, so the reports the export writes are the size they would be in use.</summary>
internal static class BenchReports
{
    public static ReportSettings Settings { get; } = new(
        [
            new MaskingRuleSetting(null, null, "ssn", null, null, "partial", 4, ["fraud-investigators"]),
            new MaskingRuleSetting(null, null, "pan", null, null, "partial", 4, []),
            new MaskingRuleSetting(null, null, "email", null, null, "hash", null, []),
        ],
        ["account-number"],
        [new DenyListSetting("projects", 12)],
        GatewaySecrets: 2,
        Retention: "7y",
        WormArchive: null,
        ConfigurationHash: "sha256:bench");
}
