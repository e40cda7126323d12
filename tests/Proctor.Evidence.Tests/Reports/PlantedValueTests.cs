using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Ledger.Events;
using Proctor.Masking;
using Proctor.Masking.Policy;

namespace Proctor.Evidence.Tests.Reports;

/// <summary>
/// The reports add no value the stored events lack: sensitive values planted in arguments, results and justifications
/// are masked by the real engine before the events are built (as the gateway's Mask stage does), and no report file
/// may then hold any of them.
/// </summary>
public sealed class PlantedValueTests
{
    private static readonly MaskingEngine Engine = MaskingEngine.Create(new MaskingPolicy(), new byte[32]);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Write_MaskedEvents_NoReportFileHoldsAPlantedValue(int seed)
    {
        var planted = Planted(new Random(seed), count: 20);
        var events = Events(planted, mask: true);
        var stored = string.Join('\n', events.Select(e => System.Text.Encoding.UTF8.GetString(EventJson.Canonical(e))));
        Assert.All(planted, value => Assert.DoesNotContain(value, stored));

        var files = await ReportHarness.RunAsync(events);

        Assert.Contains(files.Keys, path => path.StartsWith("reports/sessions/", StringComparison.Ordinal));
        foreach (var (path, text) in files)
        {
            var decoded = Decoded(path, text);
            Assert.All(planted, value => Assert.False(decoded.Contains(value, StringComparison.Ordinal), $"{path} holds planted value {value}"));
        }
    }

    [Fact]
    public async Task Write_UnmaskedEvents_TranscriptsShowThePlantedValues()
    {
        // The check above can fail: were the events stored unmasked, the transcripts would carry the values.
        var planted = Planted(new Random(7), count: 5);

        var files = await ReportHarness.RunAsync(Events(planted, mask: false));

        var transcripts = string.Join('\n', files.Where(file => file.Key.StartsWith("reports/sessions/", StringComparison.Ordinal)).Select(file => Decoded(file.Key, file.Value)));
        Assert.All(planted, value => Assert.Contains(value, transcripts));
    }

    private static List<LedgerEvent> Events(IReadOnlyList<string> planted, bool mask)
    {
        var events = new GatewayEvents();
        for (var i = 0; i < planted.Count; i++)
        {
            var value = planted[i];
            var arguments = Mask(new JsonObject { ["query"] = $"customer ssn {value}", ["note"] = value }, mask);
            var result = Mask(new JsonObject { ["result"] = new JsonObject { ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = $"SSN: {value}" }) } }, mask);
            events.Call("teller-" + (i % 3), "core", "lookup", $"s-{i % 4}", masked: mask ? new Dictionary<string, int> { ["ssn"] = 2 } : null, arguments: arguments.Node, result: result.Node)
                .Approval(EventKinds.ApprovalRequest, $"ap-{i}", "teller-1", "teller-1", "core", "lookup", "pending",
                    justification: mask ? Engine.MaskText($"for {value}", MaskingScope.Gateway, MaskingAudience.Storage).Text : $"for {value}", session: $"s-{i % 4}");
        }

        return events.Events;
    }

    private static (JsonElement? Node, int Masked) Mask(JsonObject message, bool mask)
    {
        if (!mask)
        {
            return (JsonSerializer.SerializeToElement(message), 0);
        }

        var masked = Engine.MaskJson(message, new MaskingScope("core", "lookup"), MaskingAudience.Storage);
        return (JsonSerializer.SerializeToElement(masked.Node), masked.Report.MaskedTotal);
    }

    /// <summary>JSON files are searched as decoded strings, so an escaped copy of a value (\u002D…) cannot hide it.</summary>
    private static string Decoded(string path, string text) =>
        path.EndsWith(".json", StringComparison.Ordinal) ? string.Join('\n', Strings(JsonNode.Parse(text))) : System.Net.WebUtility.HtmlDecode(text);

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(member => Strings(member.Value).Prepend(member.Key)),
        JsonArray array => array.SelectMany(Strings),
        JsonValue value => [value.ToJsonString().Trim('"'), value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : ""],
        _ => [],
    };

    /// <summary>Valid SSNs (area 001-665 or 667-899, group 01-99, serial 0001-9999), all distinct.</summary>
    private static List<string> Planted(Random random, int count)
    {
        var values = new HashSet<string>();
        while (values.Count < count)
        {
            var area = random.Next(1, 900);
            if (area == 666)
            {
                continue;
            }

            values.Add($"{area:D3}-{random.Next(1, 100):D2}-{random.Next(1, 10000):D4}");
        }

        return [.. values];
    }
}
