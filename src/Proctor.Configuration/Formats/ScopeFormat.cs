namespace Proctor.Configuration.Formats;

/// <summary>An OAuth scope token (RFC 6749 §3.3): printable ASCII except space, <c>"</c> and <c>\</c>.</summary>
internal static class ScopeFormat
{
    public static bool IsValid(string scope)
    {
        if (scope.Length == 0)
        {
            return false;
        }

        foreach (var c in scope)
        {
            if (c < 0x21 || c > 0x7E || c == '"' || c == '\\')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Adds an error for every entry that is not a scope token; <paramref name="path"/> is the list's key.</summary>
    public static void Validate(List<string>? scopes, string path, Validation.ValidationContext context)
    {
        for (var i = 0; i < scopes?.Count; i++)
        {
            if (!IsValid(scopes[i]))
            {
                context.Add($"{path}[{i}]", $"\"{scopes[i]}\" is not an OAuth scope (printable ASCII without spaces, quotes or backslashes); write one scope per entry, e.g. \"mcp:bank.read\"");
            }
        }
    }
}
