using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using Proctor.FunctionalTests.Infrastructure;
using Proctor.Tests.Shared;

namespace Proctor.FunctionalTests.Masking;

/// <summary>
/// Issue 9, class 3: every demo tool called through the gateway by clients that validate results
/// against the listed outputSchema (the MCP Inspector CLI, the TypeScript SDK 1.x and 2.x clients),
/// and by the C# SDK client with a JSON Schema validator asserting formats, for every demo identity.
/// Before decision 0014 all of them refused search_customers ("date_of_birth must match format date").
/// </summary>
[Collection(nameof(DemoCollection))]
public sealed class MaskedResultsTests(DemoGateway demo)
{
    [Theory]
    [InlineData("analyst", null)]
    [InlineData("supervisor", null)]
    [InlineData("auditor", null)]
    [InlineData("agent", null)]
    [InlineData("analyst", "bank")]
    [InlineData("auditor", "bank")]
    public async Task CSharpClient_EveryDemoTool_ResultValidatesAgainstTheSchemaItWasListedWith(string identity, string? server)
    {
        await using var client = await Clients.ConnectAsync(demo.Mcp(server), "2025-11-25", bearer: demo.Credentials[identity]);
        var listed = (await client.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool);
        var prefix = server is null ? "bank__" : "";

        foreach (var (tool, arguments) in demo.Calls)
        {
            var result = await client.CallToolAsync(prefix + tool, JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments.ToJsonString()));
            Assert.True(result.IsError is not true, $"{tool}: {Clients.Text(result)}");
            if (listed[prefix + tool].OutputSchema is not { } schema)
            {
                continue;
            }

            var structured = JsonNode.Parse(result.StructuredContent!.Value.GetRawText());
            var outputSchema = JsonNode.Parse(schema.GetRawText());
            Assert.True(SchemaValidator.IsValid(outputSchema, structured), $"{identity} {tool}: {SchemaValidator.Errors(outputSchema, structured)}");
            AssertTextMirrorsStructuredContent(tool, result, structured);
        }
    }

    [Fact]
    public async Task CSharpClient_Auditor_SeesSsnsWhole_AndTheSameSchemaAcceptsBoth()
    {
        await using var analyst = await Clients.ConnectAsync(demo.Mcp(), "2025-11-25", bearer: demo.Credentials["analyst"]);
        await using var auditor = await Clients.ConnectAsync(demo.Mcp(), "2025-11-25", bearer: demo.Credentials["auditor"]);
        var args = new Dictionary<string, object?> { ["query"] = "Smith" };

        var masked = (await analyst.CallToolAsync("bank__search_customers", args)).StructuredContent!.Value.GetProperty("customers")[0];
        var whole = (await auditor.CallToolAsync("bank__search_customers", args)).StructuredContent!.Value.GetProperty("customers")[0];

        Assert.Matches(@"^\*\*\*-\*\*-\d{4}$", masked.GetProperty("ssn").GetString());
        Assert.Matches(@"^\d{3}-\d{2}-\d{4}$", whole.GetProperty("ssn").GetString());
        Assert.Equal("[DATE_OF_BIRTH]", masked.GetProperty("date_of_birth").GetString());
        var analystSchema = (await analyst.ListToolsAsync()).Single(t => t.Name == "bank__search_customers").ProtocolTool.OutputSchema!.Value.GetRawText();
        var auditorSchema = (await auditor.ListToolsAsync()).Single(t => t.Name == "bank__search_customers").ProtocolTool.OutputSchema!.Value.GetRawText();
        Assert.Equal(analystSchema, auditorSchema);
    }

    [Fact]
    public async Task InspectorCli_ReadmeTourStep3_AsWritten_Succeeds()
    {
        var (exit, output) = await InspectorAsync("analyst", "--method", "tools/call", "--tool-name", "bank__search_customers", "--tool-arg", "query=Smith");

        Assert.True(exit == 0, output);
        Assert.Contains("***-**-", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("analyst")]
    [InlineData("auditor")]
    public async Task InspectorCli_EveryDemoTool_AcceptsTheResult(string identity)
    {
        // The Inspector CLI sends an all-digit --tool-arg as a JSON number, which the bank refuses for an
        // account number; those two tools are covered by the SDK clients above and below.
        foreach (var (tool, arguments) in demo.Calls.Where(c => c.Tool is not ("get_account_balance" or "transfer_funds")))
        {
            string[] args = ["--method", "tools/call", "--tool-name", "bank__" + tool, .. arguments.SelectMany(a => new[] { "--tool-arg", $"{a.Key}={Plain(a.Value)}" })];
            var (exit, output) = await InspectorAsync(identity, args);

            Assert.True(exit == 0, $"{tool}: {output}");
            Assert.DoesNotContain("\"isError\": true", output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("v1", "analyst", null)]
    [InlineData("v1", "auditor", null)]
    [InlineData("v1", "agent", "bank")]
    [InlineData("v2", "analyst", null)]
    [InlineData("v2", "auditor", null)]
    [InlineData("v2", "supervisor", "bank")]
    public async Task TypeScriptClient_EveryDemoTool_AcceptsTheResult(string flavour, string identity, string? server)
    {
        var prefix = server is null ? "bank__" : "";
        var calls = new JsonArray([.. demo.Calls.Select(c => new JsonObject { ["name"] = prefix + c.Tool, ["arguments"] = c.Arguments.DeepClone() })]);
        var script = Path.Combine(Peers.RepositoryRoot, "tests", "node", "ts-tool-calls.mjs");
        await using var node = ChildProcess.Start(Peers.Node22, [script, flavour, demo.Mcp(server).ToString(), demo.Credentials[identity], calls.ToJsonString()], workingDirectory: Path.GetDirectoryName(script));

        var exit = await node.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 0, node.Output);
        var seen = JsonNode.Parse(node.Output.Split('\n').Last(l => l.StartsWith('{')))!;
        Assert.Contains(prefix + "search_customers", seen["withOutputSchema"]!.AsArray().Select(n => (string?)n)); // it did validate
        Assert.Equal(demo.Calls.Count, seen["results"]!.AsArray().Count);
    }

    /// <summary>Where the text block is the JSON of the structured content (the SDK's default), masking left the two alike.</summary>
    private static void AssertTextMirrorsStructuredContent(string tool, CallToolResult result, JsonNode? structured)
    {
        var text = Clients.Text(result);
        if (!text.TrimStart().StartsWith('{'))
        {
            return; // search_customers writes a summary line per customer instead
        }

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(text), structured), $"{tool}: text {text}\nstructured {structured!.ToJsonString()}");
    }

    private Task<(int Exit, string Output)> InspectorAsync(string identity, params string[] args) =>
        InspectorCli.RunAsync(demo.Mcp(), demo.Credentials[identity], args);

    private static string Plain(JsonNode? value) => value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value!.ToJsonString();
}
