using Proctor.Policy.Options;
using Proctor.Policy.Rules;

namespace Proctor.Policy.Building;

/// <summary>Checks a rule's <c>targets</c> and builds its globs (folded for deny rules).</summary>
internal static class TargetBuilder
{
    public static TargetMatcher? Build(TargetOptions? options, bool folded, FieldReporter report)
    {
        if (options is null)
        {
            report.Report("targets", "is required: say which servers (and tools, prompts or resources) the rule covers, e.g. { servers: [bank], tools: [search_customers] }");
            return null;
        }

        var at = report.Below("targets");
        if (options.Servers.Count == 0)
        {
            at.Report("servers", "is required: list the servers the rule covers, or write [\"*\"] for every server");
        }

        var servers = Globs(options.Servers, "servers", folded, at);
        var tools = options.Tools is null ? null : Globs(options.Tools, "tools", folded, at);
        var prompts = options.Prompts is null ? null : Globs(options.Prompts, "prompts", folded, at);
        var resources = options.Resources is null ? null : Globs(options.Resources, "resources", folded, at);
        if (servers is null || options.Servers.Count == 0 || (options.Tools is not null && tools is null)
            || (options.Prompts is not null && prompts is null) || (options.Resources is not null && resources is null))
        {
            return null;
        }

        return new TargetMatcher(servers, tools, prompts, resources);
    }

    private static Glob[]? Globs(List<string> patterns, string key, bool folded, FieldReporter at)
    {
        if (patterns.Count == 0 && key != "servers")
        {
            at.Report(key, $"is an empty list, which covers no {key}; list names or patterns, or remove the key");
            return null;
        }

        var globs = new Glob[patterns.Count];
        var ok = true;
        for (var i = 0; i < patterns.Count; i++)
        {
            var glob = Glob.Parse(patterns[i], folded, out var error);
            if (glob is null)
            {
                at.Report($"{key}[{i}]", $"\"{patterns[i]}\" is not a valid pattern: {error}");
                ok = false;
            }
            else
            {
                globs[i] = glob;
            }
        }

        return ok ? globs : null;
    }
}
