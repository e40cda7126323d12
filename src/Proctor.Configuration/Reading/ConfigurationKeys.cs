using Proctor.Configuration.Options;

namespace Proctor.Configuration.Reading;

/// <summary>
/// The keys of each section, as spelled in the file. The binder refuses anything else; environment
/// overrides use them to find the spelling of a key written in capitals.
/// </summary>
internal static class ConfigurationKeys
{
    public static readonly string[] Root = ["gateway", "logging", "storage", "identity", "masking", "upstreams"];
    public static readonly string[] Identity = ["resource", "issuers", "groupsClaim", "algorithms", "clockSkew", "agentKeys", "scopesSupported", "issuerKeys", "roles"];
    public static readonly string[] Storage = ["path", "retention", "retentionCheckInterval"];
    public static readonly string[] OAuth = OAuthOptions.Keys;
    public static readonly string[] Gateway = ["listen", "allowedOrigins", "maxRequestBytes", "requestTimeout", "shutdownTimeout", "maxSessions", "maxSessionsPerIdentity", "maxConcurrentCallsPerIdentity", "maxCallsPerSecondPerIdentity"];
    public static readonly string[] Logging = ["level"];
    public static readonly string[] Upstream = [.. UpstreamOptions.StdioKeys, .. UpstreamOptions.CommonKeys, .. UpstreamOptions.HttpKeys];
    public static readonly string[] Restart = ["initialBackoff", "maxBackoff"];
    public static readonly string[] Masking = ["rules", "overrides", "customPatterns", "denyLists", "timeBudget"];
    public static readonly string[] MaskingRule = ["entity", "field", "path", "strategy", "keepLast", "revealTo"];
    public static readonly string[] MaskingOverride = ["server", "tool", "rules"];
    public static readonly string[] CustomPattern = ["name", "pattern"];
    public static readonly string[] DenyList = ["name", "terms"];

    /// <summary>Names used for the same thing by other tools (Claude Desktop, Docker, Kubernetes), mapped to ours.</summary>
    public static readonly IReadOnlyDictionary<string, string> Synonyms = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
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

    public static string? Canonical(string[] known, string key) =>
        known.FirstOrDefault(candidate => candidate.Equals(key, StringComparison.OrdinalIgnoreCase));
}
