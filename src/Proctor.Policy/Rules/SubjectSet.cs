using System.Collections.Frozen;
using Proctor.Policy.Decisions;

namespace Proctor.Policy.Rules;

/// <summary>
/// Who a rule is about, with the policy's roles already expanded into their users, groups and agent
/// keys. A caller matches when any one entry matches; ids compare ordinally.
/// </summary>
internal sealed class SubjectSet(bool everyone, FrozenSet<string> users, FrozenSet<string> groups, FrozenSet<string> agentKeys, bool anyAgentKey, FrozenSet<string> hostRoles)
{
    public bool Matches(PolicyCaller caller)
    {
        if (everyone || users.Contains(caller.Subject))
        {
            return true;
        }

        if (caller.AgentKey is { } key && (anyAgentKey || agentKeys.Contains(key)))
        {
            return true;
        }

        var callerGroups = caller.Groups;
        for (var i = 0; i < callerGroups.Count; i++)
        {
            if (groups.Contains(callerGroups[i]))
            {
                return true;
            }
        }

        var callerRoles = caller.Roles;
        for (var i = 0; i < callerRoles.Count; i++)
        {
            if (hostRoles.Contains(callerRoles[i]))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The roles the policy defines (<c>roles:</c>), for <c>caller.roles</c> in conditions.</summary>
internal sealed class RoleBook(IReadOnlyList<(string Name, SubjectSet Members)> roles)
{
    public static RoleBook Empty { get; } = new([]);

    public IReadOnlyList<(string Name, SubjectSet Members)> Roles { get; } = roles;

    /// <summary>The host's roles for the caller, then each policy role whose members include the caller.</summary>
    public Conditions.CelValue RolesOf(PolicyCaller caller)
    {
        var names = new List<Conditions.CelValue>(caller.Roles.Count + Roles.Count);
        foreach (var role in caller.Roles)
        {
            names.Add(Conditions.CelValue.String(role));
        }

        foreach (var (name, members) in Roles)
        {
            if (members.Matches(caller) && !caller.Roles.Contains(name))
            {
                names.Add(Conditions.CelValue.String(name));
            }
        }

        return Conditions.CelValue.List([.. names]);
    }
}
