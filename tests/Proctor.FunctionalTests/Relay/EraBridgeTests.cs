using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Relay;

/// <summary>
/// docs/bridging.md, bridge A: a session-era client in front of an upstream the gateway speaks to in
/// 2026-07-28 only. The upstream's input_required rounds become elicitation requests to the client,
/// and the gateway retries with the answers and the upstream's signed requestState.
/// </summary>
public sealed class EraBridgeTests
{
    [Fact]
    public async Task LegacyClient_ModernUpstreamAsksTwoRounds_ClientAnswersBothAsElicitations()
    {
        await using var fixture = await ConformanceFixture.StartAsync();
        await using var gateway = await ModernOnlyGatewayAsync(fixture);
        var asked = new List<string>();
        await using var client = await Clients.ConnectAsync(gateway.Mcp("modern"), "2025-11-25", options =>
            options.Handlers.ElicitationHandler = (request, _) =>
            {
                asked.Add(request!.Message);
                var field = request.Message.Contains("color", StringComparison.Ordinal) ? ("color", "teal") : ("name", "Ada");
                return ValueTask.FromResult(new ElicitResult
                {
                    Action = "accept",
                    Content = new Dictionary<string, JsonElement> { [field.Item1] = JsonSerializer.SerializeToElement(field.Item2) },
                });
            });

        var result = await client.CallToolAsync("test_input_required_result_multi_round", new Dictionary<string, object?>());

        Assert.Equal("Ada's favorite color is teal.", Clients.Text(result));
        Assert.Equal(2, asked.Count);
    }

    [Fact]
    public async Task LegacyClient_WithoutElicitationCapability_UpstreamIsToldAndRefuses()
    {
        await using var fixture = await ConformanceFixture.StartAsync();
        await using var gateway = await ModernOnlyGatewayAsync(fixture);
        await using var client = await Clients.ConnectAsync(gateway.Mcp("modern"), "2025-11-25");

        var error = await Assert.ThrowsAnyAsync<ModelContextProtocol.McpException>(() =>
            client.CallToolAsync("test_input_required_result_elicitation", new Dictionary<string, object?>()).AsTask());

        Assert.Contains("elicitation", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The fixture serves both eras; <c>era: modern</c> makes the gateway use only 2026-07-28 with it.</summary>
    private static Task<GatewayUnderTest> ModernOnlyGatewayAsync(ConformanceFixture fixture) => GatewayUnderTest.StartAsync($$"""
          modern:
            url: "{{fixture.Endpoint}}"
            era: modern
        """);
}
