using System.Text.Json.Nodes;

namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>What tests/node/header-echo-server.mjs printed it received, one entry per tools/call, oldest first.</summary>
internal static class HeaderEcho
{
    private const string Prefix = "TOOL-CALL-HEADERS ";

    public static async Task<IReadOnlyList<JsonObject>> ReceivedAsync(ChildProcess server, int atLeast)
    {
        for (var waited = 0; waited < 100; waited++)
        {
            var received = server.Output.Split('\n')
                .Where(line => line.StartsWith(Prefix, StringComparison.Ordinal))
                .Select(line => JsonNode.Parse(line[Prefix.Length..])!.AsObject())
                .ToList();
            if (received.Count >= atLeast)
            {
                return received;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"header-echo printed fewer than {atLeast} tools/call lines:\n{server.Output}");
    }
}
