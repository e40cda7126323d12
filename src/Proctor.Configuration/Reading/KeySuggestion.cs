using Proctor.Policy;

namespace Proctor.Configuration.Reading;

/// <summary>Finds the key an operator most likely meant, for "did you mean …?": names other tools use, then the nearest spelling.</summary>
internal static class KeySuggestion
{
    /// <summary>Names used for the same thing by other tools (Claude Desktop, Docker, Kubernetes), mapped to ours.</summary>
    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mcpServers"] = "upstreams",
        ["servers"] = "upstreams",
        ["arguments"] = "args",
        ["environment"] = "env",
        ["workingDirectory"] = "cwd",
        ["workingDir"] = "cwd",
        ["workDir"] = "cwd",
        ["cmd"] = "command",
        ["endpoint"] = "url",
        ["uri"] = "url",
        ["origins"] = "allowedOrigins",
        ["cors"] = "allowedOrigins",
        ["address"] = "listen",
        ["urls"] = "listen",
        ["loglevel"] = "level",
        ["maxBodySize"] = "maxRequestBytes",
        ["backoff"] = "restart",
    };

    public static string? Closest(string written, IReadOnlyCollection<string> known) =>
        Synonyms.TryGetValue(written, out var synonym) && known.Contains(synonym) ? synonym : Suggestions.Closest(written, known);
}
