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
}
