namespace Proctor.Configuration.Formats;

/// <summary>The address the gateway listens on: <c>http(s)://host:port</c>, with no path.</summary>
internal static class ListenFormat
{
    public static bool TryParse(string text, out Uri listen, out string? problem)
    {
        listen = null!;
        problem = null;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https"
            && !string.IsNullOrEmpty(uri.Host))
        {
            var authority = uri.Scheme + "://" + uri.Authority;
            if (uri.UserInfo.Length > 0 || uri.PathAndQuery != "/" || uri.Fragment.Length > 0)
            {
                problem = $"{DisplayText.Quote(text)} must be scheme, host and port only (the MCP endpoint is always /mcp); use \"{authority}\"";
                return false;
            }

            listen = uri;
            return true;
        }

        var wildcard = text.Contains("://*", StringComparison.Ordinal) || text.Contains("://+", StringComparison.Ordinal);
        problem = wildcard
            ? $"{DisplayText.Quote(text)} is not a listen address; use \"http://0.0.0.0:8080\" to listen on every interface"
            : $"{DisplayText.Quote(text)} is not a listen address; use e.g. \"http://127.0.0.1:8080\"";
        return false;
    }
}
