namespace Proctor.Mcp.Pipeline;

/// <summary>The one scope check, shared by the transport (403 on <c>/mcp/{server}</c>) and the Authenticate stage (each upstream behind <c>/mcp</c>).</summary>
public static class RequiredScopes
{
    /// <summary>The first required scope the token does not hold, or null when it holds them all.</summary>
    public static string? FirstMissing(IReadOnlyList<string> required, IReadOnlyList<string> held)
    {
        foreach (var scope in required)
        {
            if (!held.Contains(scope, StringComparer.Ordinal))
            {
                return scope;
            }
        }

        return null;
    }
}
