using Proctor.Configuration.Models;
using Proctor.Configuration.Models.Secrets;

namespace Proctor.Mcp.Upstreams;

/// <summary>
/// The environment a stdio upstream is spawned with: a short allow-list inherited from the gateway
/// (enough for npx, dotnet, python to start) plus the configured variables. The gateway's own
/// secrets are therefore never inherited by an upstream by accident.
/// </summary>
internal static class ChildEnvironment
{
    private static readonly string[] Inherited =
        ["PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL", "TZ", "TMPDIR", "TERM", "DOTNET_ROOT", "NODE_PATH", "NODE_OPTIONS", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "npm_config_cache"];

    public static void Apply(IDictionary<string, string?> target, IReadOnlyDictionary<string, SecretValue> configured)
    {
        target.Clear();
        foreach (var name in Inherited)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                target[name] = value;
            }
        }

        foreach (var (name, value) in configured)
        {
            target[name] = value.Reveal();
        }
    }

    /// <summary>The command line for the spawn log: arguments as written, variables by name only.</summary>
    public static string DescribeCommandLine(StdioUpstreamModel model)
    {
        var variables = model.Environment.Count == 0 ? "" : $" (env: {string.Join(", ", model.Environment.Keys)})";
        return $"{model.Command} {string.Join(' ', model.Args.Select(Quote))}{variables}".TrimEnd();
    }

    private static string Quote(string arg) => arg.Contains(' ', StringComparison.Ordinal) ? $"\"{arg}\"" : arg;
}
