using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>The official C# SDK client, pinned to one protocol version, as a real client would connect.</summary>
internal static class Clients
{
    public static Task<McpClient> ConnectAsync(Uri endpoint, string protocolVersion, Action<McpClientOptions>? configure = null, string? bearer = null)
    {
        var options = new McpClientOptions
        {
            ProtocolVersion = protocolVersion,
            ClientInfo = new Implementation { Name = "proctor-functional-tests", Version = "1.0.0" },
        };
        configure?.Invoke(options);
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = bearer is null ? null : new Dictionary<string, string> { ["Authorization"] = $"Bearer {bearer}" },
        });
        return McpClient.CreateAsync(transport, options);
    }

    public static string Text(CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    public static string Json(object value) => JsonSerializer.Serialize(value);
}
