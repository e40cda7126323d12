using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Evidence;

/// <summary>
/// Identifiers planted where payloads really carry them — glued to punctuation, in URLs and file names,
/// joined to words, as JSON member names and numbers, in Unicode look-alikes — by an upstream written
/// with the official TypeScript SDK (tests/node/planted-values-server.mjs), and in what the client sends
/// about itself (clientInfo), a resource URI and a prompt name. Under the default masking rules none of
/// them reaches the client's responses, the ledger's bytes (database and WAL) or a log line, in any of
/// the forms it could be written there (as planted, JSON-escaped, or as its bare digits).
/// </summary>
public sealed class PlantedValuesLeakTests
{
    private static readonly string[] Cards = [Card("4539", 16, 1), Card("5425", 16, 2), Card("4916", 16, 3), Card("4024", 16, 4), Card("6011", 16, 5), Card("3782", 15, 6), Card("4485", 16, 7)];

    private const string ResourceSsn = "524-34-1124";
    private const string PromptSsn = "525-35-1125";
    private const string ClientInfoSsn = "523-33-1123";
    private const string ClientInfoEmail = "jane.teller523@bank.example";
    private const string ModernClientInfoSsn = "526-36-1126";

    /// <summary>Values and the text that carries them; every value must vanish.</summary>
    private static readonly (string Value, string Text)[] TextPlants =
    [
        ("514-24-1098", "SSN:514-24-1098"),
        (Cards[0], $"card::{Cards[0]}"),
        ("73920481156", "account:73920481156"),
        ("021000021", "routing:021000021"),
        ("DE89370400440532013000", "IBAN:DE89370400440532013000"),
        ("515-25-1105", "GET https://api.bank.example/customers/515-25-1105/orders"),
        ("516-26-1116", $"https://api.bank.example/search?ssn=516-26-1116&card={Cards[1]}&page=2"),
        (Cards[1], $"pay|{Cards[1]}|"),
        ("517271117", "ssn_517271117"),
        (Cards[2], $"cust-{Cards[2]}"),
        ("536-22-1098", "x.536-22-1098"),
        ("518281118", "ssn export file_518281118.csv"),
        ("12-3456789", "(12-3456789)"),
        ("212-555-0143", "[212-555-0143]"),
        ("５２０-３０-１１２０", "SSN ５２０-３０-１１２０"),
        ("521\u201331\u20131121", "SSN 521\u201331\u20131121"),
        ("522-3\u200B2-1122", "SSN 522-3\u200B2-1122"),
        ("٥٢٧-٣٧-١١٢٧", "SSN ٥٢٧-٣٧-١١٢٧"),
        (Grouped(Cards[3], "\u00A0"), $"card {Grouped(Cards[3], "\u00A0")}"),
        ("GB82WEST12345698765432", "iban_GB82WEST12345698765432.pdf"),
    ];

    private static readonly string[] JsonPlants = ["519-29-1119", "528-38-1128", Cards[4], "529-39-1129", Cards[5], "81049372615", Cards[6]];

    [Fact]
    public async Task PlantedIdentifiers_ThroughTheGateway_ReachNeitherTheClientNorTheLedgerNorTheLog()
    {
        Peers.RequireInstalled();
        var port = Ports.Free();
        var script = Path.Combine(Peers.RepositoryRoot, "tests", "node", "planted-values-server.mjs");
        var structured = new JsonObject
        {
            ["customers"] = new JsonObject { [JsonPlants[0]] = new JsonObject { ["status"] = "active" }, [JsonPlants[1]] = new JsonObject { ["status"] = "closed" } },
            ["payment"] = new JsonObject { ["value"] = long.Parse(JsonPlants[2]), ["memo"] = $"ref#{JsonPlants[3]}|" },
            ["ids"] = new JsonArray(long.Parse(JsonPlants[4])),
            ["links"] = new JsonObject { ["self"] = $"https://api.bank.example/accounts/{JsonPlants[5]}/statements" },
            ["ssns"] = new JsonObject { [JsonPlants[3].Replace("-", "")] = 1 },
            ["card_by_branch"] = new JsonObject { ["main"] = $"'{JsonPlants[6]}'" },
        };
        var environment = new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(),
            ["PLANTED_TEXT"] = string.Join('\n', TextPlants.Select(p => p.Text)),
            ["PLANTED_JSON"] = structured.ToJsonString(),
            ["PLANTED_PROMPT"] = $"summary_{PromptSsn}",
        };
        await using var upstream = ChildProcess.Start(Peers.Node, [script], environment, Path.GetDirectoryName(script));
        await Ports.WaitForListeningAsync(port, TimeSpan.FromSeconds(30));
        var log = new CapturedLog();
        await using var gateway = await GatewayUnderTest.StartAsync($$"""
              planted:
                url: "http://127.0.0.1:{{port}}/mcp"
            """, log: log, logLevel: "Trace");
        var endpoint = gateway.Mcp("planted");

        var seen = new List<JsonObject>();
        var clientInfo = new JsonObject { ["name"] = "teller-kiosk", ["version"] = "1.0.0", ["title"] = $"Branch kiosk SSN:{ClientInfoSsn} {ClientInfoEmail}" };
        var (opened, _) = await RawMcp.PostAsync(endpoint, Request(1, "initialize", new JsonObject { ["protocolVersion"] = "2025-11-25", ["capabilities"] = new JsonObject(), ["clientInfo"] = clientInfo }));
        var headers = new Dictionary<string, string> { ["Mcp-Session-Id"] = opened.Headers.GetValues("Mcp-Session-Id").Single() };
        await RawMcp.PostAsync(endpoint, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", headers);
        seen.Add(await CallAsync(endpoint, Request(2, "tools/call", new JsonObject { ["name"] = "crafted_result", ["arguments"] = new JsonObject() }), headers));
        seen.Add(await CallAsync(endpoint, Request(3, "resources/read", new JsonObject { ["uri"] = $"customer://{ResourceSsn}/profile" }), headers));
        seen.Add(await CallAsync(endpoint, Request(4, "prompts/get", new JsonObject { ["name"] = $"summary_{PromptSsn}" }), headers));
        seen.Add(await CallAsync(endpoint, Request(5, "prompts/list", new JsonObject()), headers));
        var modern = """{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"crafted_result","arguments":{},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"stateless-teller","version":"1","title":"SSN """ + ModernClientInfoSsn + "\"}}}}";
        seen.Add(await CallAsync(endpoint, modern, RawMcp.Modern("tools/call", "crafted_result")));

        var planted = TextPlants.Select(p => p.Value).Concat(JsonPlants).Append(JsonPlants[3].Replace("-", ""))
            .Concat([ResourceSsn, PromptSsn, ClientInfoSsn, ClientInfoEmail, ModernClientInfoSsn]).ToArray();
        var client = string.Join('\n', seen.Select(Visible));
        var stored = await BankEvidence.StoredBytesAsync(gateway.DataFolder);
        var leaks = new List<string>();
        foreach (var value in planted)
        {
            foreach (var form in Forms(value))
            {
                if (client.Contains(form, StringComparison.Ordinal))
                {
                    leaks.Add($"client: {Escape(form)}");
                }

                if (stored.Contains(Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(form)), StringComparison.Ordinal))
                {
                    leaks.Add($"ledger: {Escape(form)}");
                }

                if (log.Lines.FirstOrDefault(line => line.Contains(form, StringComparison.Ordinal)) is { } line)
                {
                    leaks.Add($"log: {Escape(form)} in {Escape(line)}");
                }
            }
        }

        Assert.True(leaks.Count == 0, $"{leaks.Count} planted values leaked:\n{string.Join('\n', leaks)}");
        Assert.Contains("profile of customer ***-**-1124", client, StringComparison.Ordinal); // the calls went through, masked
        Assert.Contains("***-**-1119", client, StringComparison.Ordinal); // member names too
        Assert.Contains("\"call.response\"", stored, StringComparison.Ordinal); // and were recorded
        Assert.Contains("teller-kiosk", stored, StringComparison.Ordinal); // with the caller's clientInfo, masked
        Assert.Contains("customer://***-**-1124/profile", stored, StringComparison.Ordinal); // and the resource URI, masked
        Assert.Contains(log.Lines, line => line.Contains("summary_***-**-1125", StringComparison.Ordinal)); // the call line names the masked prompt
    }

    private static async Task<JsonObject> CallAsync(Uri endpoint, string body, Dictionary<string, string> headers)
    {
        var (response, answer) = await RawMcp.PostAsync(endpoint, body, headers);
        Assert.True(answer?["result"] is not null, $"{(int)response.StatusCode}: {answer?.ToJsonString()}");
        return answer!;
    }

    private static string Request(int id, string method, JsonObject parameters) =>
        new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters }.ToJsonString();

    /// <summary>The response as JSON text and every string, member name and number in it, decoded.</summary>
    private static string Visible(JsonObject response)
    {
        var all = new StringBuilder(response.ToJsonString());
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (name, child) in obj) { all.Append('\n').Append(name); Walk(child); }
                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Walk(item);
                    }

                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    var text = value.GetValue<string>();
                    all.Append('\n').Append(text);
                    if (text.TrimStart().StartsWith('{'))
                    {
                        Walk(TryParse(text));
                    }

                    break;
            }
        }
        Walk(response);
        return all.ToString();
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A value as planted, JSON-escaped, and as its bare ASCII digits (when it has at least nine).</summary>
    private static IEnumerable<string> Forms(string value)
    {
        yield return value;
        var escaped = JsonSerializer.Serialize(value)[1..^1];
        if (escaped != value)
        {
            yield return escaped;
        }

        var digits = string.Concat(value.EnumerateRunes().Where(Rune.IsDigit).Select(r => (char)('0' + (int)Rune.GetNumericValue(r))));
        if (digits.Length >= 9 && digits != value)
        {
            yield return digits;
        }
    }

    private static string Escape(string text) => string.Concat(text.Select(c => c is > '\x7E' or < ' ' ? $"\\u{(int)c:X4}" : c.ToString()));

    private static string Grouped(string card, string separator) => string.Join(separator, card.Chunk(4).Select(c => new string(c)));

    /// <summary>A Luhn-valid number of <paramref name="length"/> digits with the issuer <paramref name="prefix"/>.</summary>
    private static string Card(string prefix, int length, int seed)
    {
        var body = prefix + string.Concat(Enumerable.Range(0, length - prefix.Length - 1).Select(i => (char)('0' + (seed * 7 + i * 3) % 10)));
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var d = body[body.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }

            sum += d;
        }
        return body + (char)('0' + (10 - sum % 10) % 10);
    }
}
