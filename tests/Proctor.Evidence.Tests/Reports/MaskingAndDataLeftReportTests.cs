using System.Text.Json;
using Proctor.Configuration;
using Proctor.Evidence.Reports;

namespace Proctor.Evidence.Tests.Reports;

public sealed class MaskingAndDataLeftReportTests
{
    private const string Configuration = """
        storage: { path: "proctor.db", retention: "7y" }
        masking:
          rules:
            - { entity: ssn, strategy: partial, keepLast: 4, revealTo: ["fraud-investigators"] }
            - { field: customer_name, strategy: token }
          overrides:
            - { server: bank, tool: get_statement, rules: [{ entity: bank_account, strategy: redact }] }
          customPatterns:
            - { name: case_ref, pattern: "REF-[0-9]{8}" }
          denyLists:
            - { name: project, terms: ["Blue Harbor", "Green Lantern"] }
        upstreams:
          bank: { url: "http://127.0.0.1:9000/mcp" }
        """;

    [Fact]
    public async Task Write_SettingsFromTheConfiguration_ListsRulesAndRetentionButNoDenyListTerm()
    {
        var settings = Settings();

        var files = await ReportHarness.RunAsync(new GatewayEvents().Call("alice", "bank", "lookup", "s-1").Events, settings);

        var rules = files.Json("reports/masking.json").GetProperty("rules_in_force");
        Assert.Equal(3, rules.GetProperty("rules").GetArrayLength());
        var scoped = rules.GetProperty("rules").EnumerateArray().Single(rule => rule.GetProperty("server").ValueKind == JsonValueKind.String);
        Assert.Equal(("bank", "get_statement", "bank_account", "redact"), (scoped.GetProperty("server").GetString(), scoped.GetProperty("tool").GetString(), scoped.GetProperty("entity").GetString(), scoped.GetProperty("strategy").GetString()));
        Assert.Equal(2, rules.GetProperty("deny_lists")[0].GetProperty("terms").GetInt32());
        Assert.Equal("case_ref", rules.GetProperty("custom_patterns")[0].GetString());
        Assert.Equal("7y", files.Json("reports/summary.json").GetProperty("retention").GetString());
        Assert.All(files, file => Assert.DoesNotContain("Blue Harbor", file.Value));
        Assert.All(files, file => Assert.DoesNotContain("Green Lantern", file.Value));
    }

    [Fact]
    public async Task Write_AccuracyFigures_AreTheReleasesWithTheirSource()
    {
        var accuracy = (await ReportHarness.RunAsync([])).Json("reports/masking.json").GetProperty("accuracy");

        Assert.Contains("docs/masking-accuracy.md", accuracy.GetProperty("source").GetString());
        Assert.Equal(18, accuracy.GetProperty("by_entity").GetArrayLength());
        var ssn = accuracy.GetProperty("by_entity").EnumerateArray().Single(entity => entity.GetProperty("entity").GetString() == "ssn");
        Assert.Equal((900, 1.0, 1.0), (ssn.GetProperty("positives").GetInt32(), ssn.GetProperty("recall").GetDouble(), ssn.GetProperty("precision").GetDouble()));
    }

    [Fact]
    public async Task Write_Calls_SumsBytesItemsAndMaskedCountsPerIdentityAndServer()
    {
        var events = new GatewayEvents()
            .Call("alice", "bank", "get_statement", "s-1", bytesOut: 1000, items: 3, masked: new Dictionary<string, int> { ["bank_account"] = 3, ["ssn"] = 1 })
            .Call("alice", "bank", "get_statement", "s-1", bytesOut: 500, items: 2, masked: new Dictionary<string, int> { ["ssn"] = 2 })
            .Call("alice", "crm", "lookup", "s-1", bytesOut: 7)
            .Call("bob", "bank", "get_statement", "s-2", bytesOut: 40);

        var files = await ReportHarness.RunAsync(events.Events, Settings());

        var dataLeft = files.Json("reports/data-left.json");
        var aliceBank = dataLeft.GetProperty("by_identity_and_server").EnumerateArray()
            .Single(pair => pair.GetProperty("identity").GetString() == "alice" && pair.GetProperty("server").GetString() == "bank").GetProperty("counters");
        Assert.Equal((2L, 1500L, 5L), (aliceBank.GetProperty("calls").GetInt64(), aliceBank.GetProperty("bytes_returned").GetInt64(), aliceBank.GetProperty("items_returned").GetInt64()));
        Assert.Equal((3, 3), (aliceBank.GetProperty("masked_by_type").GetProperty("bank_account").GetInt32(), aliceBank.GetProperty("masked_by_type").GetProperty("ssn").GetInt32()));
        Assert.Equal(1547, dataLeft.GetProperty("total").GetProperty("bytes_returned").GetInt64());
        Assert.Equal(3, files.Json("reports/masking.json").GetProperty("masked_by_type").GetProperty("ssn").GetInt32());
        var revealed = dataLeft.GetProperty("revealed");
        Assert.False(revealed.GetProperty("recorded").GetBoolean());
        Assert.Equal("fraud-investigators", revealed.GetProperty("reveal_rules")[0].GetProperty("reveal_to")[0].GetString());
    }

    private static ReportSettings Settings()
    {
        var result = ConfigurationLoader.LoadYaml(Configuration, "proctor.yaml", new Dictionary<string, string>());
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        return ReportSettings.From(result.Model!);
    }
}
