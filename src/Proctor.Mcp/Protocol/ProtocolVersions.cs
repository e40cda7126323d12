using System.Collections.Frozen;

namespace Proctor.Mcp.Protocol;

public static class ProtocolVersions
{
    public const string Modern = "2026-07-28";
    public const string LatestLegacy = "2025-11-25";

    /// <summary>Session-era versions the gateway serves to clients and speaks to upstreams.</summary>
    public static readonly FrozenSet<string> Legacy =
        FrozenSet.ToFrozenSet(["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"], StringComparer.Ordinal);

    public static readonly string[] All = [Modern, "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

    /// <summary><see cref="All"/> as a JSON array, for <c>server/discover</c> and -32022 errors, which must agree.</summary>
    public static System.Text.Json.Nodes.JsonArray AllAsJson()
    {
        var versions = new System.Text.Json.Nodes.JsonArray();
        foreach (var version in All)
        {
            versions.Add(version);
        }

        return versions;
    }

    public static bool IsModern(string? version) => string.CompareOrdinal(version, Modern) >= 0 && version!.Length == 10;

    /// <summary>Picks the version to answer an <c>initialize</c> with (spec: same version if supported, else our latest).</summary>
    public static string NegotiateLegacy(string? requested) =>
        requested is not null && Legacy.Contains(requested) ? requested : LatestLegacy;

    /// <summary>The <c>_meta</c> keys a 2026-07-28 request carries instead of a handshake.</summary>
    public const string MetaProtocolVersion = "io.modelcontextprotocol/protocolVersion";
    public const string MetaClientCapabilities = "io.modelcontextprotocol/clientCapabilities";
    public const string MetaClientInfo = "io.modelcontextprotocol/clientInfo";
}
