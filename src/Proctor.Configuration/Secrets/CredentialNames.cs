namespace Proctor.Configuration.Secrets;

/// <summary>
/// Recognizes <c>env</c> and <c>headers</c> entries that carry credentials by their names, so that
/// writing a credential into the file itself (rather than a reference to it) is refused.
/// Deliberately narrow: a false alarm blocks start-up, so only names that are credentials by
/// convention are listed.
/// </summary>
internal static class CredentialNames
{
    private static readonly string[] HeaderNames = ["Authorization", "Proxy-Authorization", "Cookie"];
    private static readonly string[] HeaderFragments = ["token", "secret", "password", "api-key", "apikey", "api_key"];
    private static readonly string[] VariableSuffixes = ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "API_KEY", "APIKEY", "ACCESS_KEY", "PRIVATE_KEY"];

    public static bool IsCredentialHeader(string name) =>
        HeaderNames.Contains(name, StringComparer.OrdinalIgnoreCase)
        || HeaderFragments.Any(fragment => name.Contains(fragment, StringComparison.OrdinalIgnoreCase));

    public static bool IsCredentialVariable(string name) =>
        VariableSuffixes.Any(suffix => name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase));

    /// <summary>A reference that would work in place of a literal credential, for the error message.</summary>
    public static string SuggestHeaderReference(string upstream, string header)
    {
        var prefix = ToVariableName(upstream);
        return header.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
            ? $"Bearer ${{env:{prefix}_TOKEN}}"
            : $"${{env:{prefix}_{ToVariableName(header)}}}";
    }

    private static string ToVariableName(string text) =>
        string.Concat(text.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_'));
}
