using Proctor.Configuration.Models;
using Proctor.Mcp.Pipeline;
using Proctor.Policy.Decisions;

namespace Proctor.Mcp.Authorization;

/// <summary>The caller as the transport established it, in the policy's terms: subject, groups, roles, and the facts of the token.</summary>
public static class PolicyCallers
{
    public static PolicyCaller Of(Caller caller, IdentitySettings? identity)
    {
        var method = caller.AuthenticationMethod;
        return new PolicyCaller(caller.Subject)
        {
            Issuer = caller.Issuer,
            Method = method,
            AgentKey = method == AgentKeyMethod && caller.Subject.StartsWith(AgentKeyPrefix, StringComparison.Ordinal) ? caller.Subject[AgentKeyPrefix.Length..] : null,
            Groups = caller.Groups,
            Roles = identity is null || caller.Groups.Count == 0 ? [] : GrantedRoles(identity, caller.Groups),
            Scopes = caller.Scopes,
            AuthenticationMethods = caller.AuthenticationMethods,
            AuthenticationContext = caller.AuthenticationContext,
            AuthenticatedAt = caller.AuthenticatedAt,
        };
    }

    /// <summary>How Proctor.Identity names agent-key authentication (AgentKeyAuthenticator.Method).</summary>
    private const string AgentKeyMethod = "agent-key";

    /// <summary>An agent key's subject is <c>agent:NAME</c> (AgentKey.Subject).</summary>
    private const string AgentKeyPrefix = "agent:";

    private static string[] GrantedRoles(IdentitySettings identity, IReadOnlyList<string> groups)
    {
        var granted = new List<string>(IdentityRoles.Known.Length);
        foreach (var role in IdentityRoles.Known)
        {
            if (identity.Grants(role, groups))
            {
                granted.Add(role);
            }
        }

        return [.. granted];
    }
}
