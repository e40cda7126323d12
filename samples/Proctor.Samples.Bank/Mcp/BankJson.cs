using System.Text.Json;
using ModelContextProtocol;

namespace Proctor.Samples.Bank.Mcp;

/// <summary>JSON settings for everything the bank returns: snake_case names such as <c>date_of_birth</c>.</summary>
internal static class BankJson
{
    public static JsonSerializerOptions Options { get; } = new(McpJsonUtilities.DefaultOptions)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
