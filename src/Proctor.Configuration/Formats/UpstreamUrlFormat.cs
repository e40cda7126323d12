using Proctor.Configuration.Models.Network;

namespace Proctor.Configuration.Formats;

/// <summary>
/// A remote upstream's URL: absolute http or https, no credentials, no fragment, not link-local unless
/// allowed. Messages quote the URL as written (<paramref name="shown"/>), which may hold references,
/// never the resolved text, which may hold secrets.
/// </summary>
internal static class UpstreamUrlFormat
{
    public const string Example = "https://mcp.example.com/mcp";

    public static bool TryParse(string resolved, string shown, bool allowLinkLocal, out Uri url, out string? problem)
    {
        url = null!;
        problem = null;
        var quoted = DisplayText.Quote(shown);
        if (!Uri.TryCreate(resolved, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || string.IsNullOrEmpty(uri.Host))
        {
            problem = $"{quoted} is not an http or https URL; use e.g. \"{Example}\"";
            return false;
        }

        if (uri.UserInfo.Length > 0)
        {
            problem = $"{quoted} has credentials in it; send them as a header instead, e.g. headers: {{ Authorization: \"Bearer ${{env:CRM_TOKEN}}\" }}";
            return false;
        }

        if (uri.Fragment.Length > 0)
        {
            problem = $"{quoted} has a fragment (#…), which is never sent to a server; remove it";
            return false;
        }

        if (!allowLinkLocal && LinkLocalGuard.IsBlocked(uri.Host))
        {
            problem = LinkLocal(shown);
            return false;
        }

        url = uri;
        return true;
    }

    public static string LinkLocal(string shown) =>
        $"{DisplayText.Quote(shown)} points at a link-local or cloud metadata address, which is refused to guard against request forgery; use the server's own address, or set allowLinkLocal: true if the server really is there";
}
