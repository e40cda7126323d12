namespace Proctor.Configuration.Formats;

/// <summary>
/// Browser origins as in the <c>Origin</c> header (RFC 6454): scheme, host and port, nothing else.
/// Normalized to what browsers send: lower case, default port omitted.
/// </summary>
internal static class OriginFormat
{
    public const string Example = "https://app.example.com";

    public static bool TryNormalize(string text, out string origin, out string? problem)
    {
        origin = "";
        problem = null;
        if (text.Trim() is "*" or "null")
        {
            problem = $"{DisplayText.Quote(text)} is not allowed; list each origin, e.g. \"{Example}\"";
            return false;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || string.IsNullOrEmpty(uri.Host))
        {
            problem = $"{DisplayText.Quote(text)} is not an origin; use scheme, host and port, e.g. \"{Example}\"";
            return false;
        }

        var normalized = uri.Scheme + "://" + uri.Authority;

        if (uri.UserInfo.Length > 0 || uri.PathAndQuery != "/" || uri.Fragment.Length > 0 || text.EndsWith('/'))
        {
            problem = $"{DisplayText.Quote(text)} is not an origin (scheme, host and port only); use \"{normalized}\"";
            return false;
        }

        origin = normalized;
        return true;
    }
}
