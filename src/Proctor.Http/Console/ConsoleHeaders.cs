using Microsoft.AspNetCore.Http;

namespace Proctor.Http.Console;

/// <summary>
/// The headers every console answer carries (docs/console.md): a strict CSP (scripts and styles only from the gateway's
/// own files, no inline ones; forms only back to the gateway), no framing, no sniffing, no referrer to other sites, no caching.
/// </summary>
internal static class ConsoleHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers.CacheControl = "no-cache, no-store";
    }
}
