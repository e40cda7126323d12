using System.Collections.Frozen;
using Proctor.Policy.Options;
using Proctor.Policy.Rules;

namespace Proctor.Policy.Building;

/// <summary>Checks a <c>subjects</c> block (of a rule) or a role's members, and builds the matcher with roles expanded.</summary>
internal static class SubjectBuilder
{
    private const string Example = "{ groups: [analysts] } or { everyone: true }";

    public static SubjectSet? ForRule(SubjectOptions? options, PolicyBuildContext context, FieldReporter report)
    {
        if (options is null)
        {
            report.Report("subjects", $"is required: say who the rule is for, e.g. {Example}");
            return null;
        }

        var at = report.Below("subjects");
        if (!Check(options, at, allowRoles: true))
        {
            return null;
        }

        var users = new HashSet<string>(options.Users, StringComparer.Ordinal);
        var groups = new HashSet<string>(options.Groups, StringComparer.Ordinal);
        var agentKeys = new HashSet<string>(options.AgentKeys, StringComparer.Ordinal);
        var host = new HashSet<string>(StringComparer.Ordinal);
        var ok = true;
        for (var i = 0; i < options.Roles.Count; i++)
        {
            var role = options.Roles[i];
            if (context.Roles.TryGetValue(role, out var members))
            {
                users.UnionWith(members.Users);
                groups.UnionWith(members.Groups);
                agentKeys.UnionWith(members.AgentKeys);
            }
            else if (context.HostRoles.Contains(role))
            {
                host.Add(role);
            }
            else if (context.InvalidRoles.Contains(role))
            {
                ok = false;
            }
            else
            {
                var known = context.Roles.Keys.Concat(context.HostRoles).Order(StringComparer.Ordinal).ToList();
                at.Report($"roles[{i}]", $"\"{role}\" is not a role: define it under roles:, or use one of: {(known.Count == 0 ? "(none defined)" : string.Join(", ", known))}"
                    + Suggestions.DidYouMean(role, known));
                ok = false;
            }
        }

        return ok ? Build(options.Everyone, users, groups, agentKeys, host) : null;
    }

    public static SubjectSet? ForRole(SubjectOptions options, FieldReporter report)
    {
        if (options.Everyone)
        {
            report.Report("everyone", "a role lists users, groups and agent keys; for every caller, write everyone: true in the rule itself");
            return null;
        }

        if (options.Roles.Count > 0)
        {
            report.Report("roles", "a role lists users, groups and agent keys, not other roles; list the other role's members here");
            return null;
        }

        return Check(options, report, allowRoles: false)
            ? Build(false, new(options.Users, StringComparer.Ordinal), new(options.Groups, StringComparer.Ordinal), new(options.AgentKeys, StringComparer.Ordinal), [])
            : null;
    }

    private static bool Check(SubjectOptions options, FieldReporter at, bool allowRoles)
    {
        var ok = Entries(options.Users, "users", "a subject id such as \"alice@bank.example\"", at)
            & Entries(options.Groups, "groups", "a group name such as \"analysts\"", at)
            & Entries(options.AgentKeys, "agentKeys", "an agent key name such as \"nightly-report\", or \"*\" for every agent key", at)
            & Entries(options.Roles, "roles", "a role name", at);
        var named = options.Users.Count + options.Groups.Count + options.AgentKeys.Count + (allowRoles ? options.Roles.Count : 0);
        if (options.Everyone && named > 0)
        {
            at.Report("everyone", "everyone: true already covers every caller; remove the other entries or everyone");
            return false;
        }

        if (!options.Everyone && named == 0 && ok)
        {
            at.Report("", $"names nobody: list users, groups, agentKeys or roles, or write everyone: true, e.g. {Example}");
            return false;
        }

        return ok;
    }

    private static bool Entries(List<string> values, string key, string example, FieldReporter at)
    {
        var ok = true;
        for (var i = 0; i < values.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(values[i]) || values[i].Trim().Length != values[i].Length)
            {
                at.Report($"{key}[{i}]", $"\"{values[i]}\" is empty or has spaces around it; write {example}");
                ok = false;
            }
        }

        return ok;
    }

    private static SubjectSet Build(bool everyone, HashSet<string> users, HashSet<string> groups, HashSet<string> agentKeys, HashSet<string> hostRoles)
    {
        var anyAgentKey = agentKeys.Remove("*");
        return new SubjectSet(everyone, users.ToFrozenSet(StringComparer.Ordinal), groups.ToFrozenSet(StringComparer.Ordinal),
            agentKeys.ToFrozenSet(StringComparer.Ordinal), anyAgentKey, hostRoles.ToFrozenSet(StringComparer.Ordinal));
    }
}
