namespace Proctor.Configuration.Formats;

/// <summary>URLs of the identity world: issuers and token endpoints, which must not be reachable over plain http except on loopback.</summary>
internal static class IdentityFormats
{
    public static bool TryHttpUrl(string text, out Uri url) =>
        Uri.TryCreate(text, UriKind.Absolute, out url!) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);

    public static bool Issuer(string text, out Uri issuer, out string? problem)
    {
        problem = !TryHttpUrl(text, out issuer)
            ? $"\"{text}\" is not an absolute http(s) URL; use the issuer exactly as its tokens' iss claim, e.g. \"https://login.example.com\""
            : issuer.Scheme == Uri.UriSchemeHttp && !issuer.IsLoopback
                ? $"\"{text}\" uses plain http on a non-loopback host: its signing keys could be replaced in transit; use https"
                : null;
        return problem is null;
    }

    public static bool TokenUrl(string text, out Uri tokenUrl, out string? problem)
    {
        problem = !TryHttpUrl(text, out tokenUrl) || tokenUrl.Fragment.Length > 0
            ? $"\"{text}\" is not an absolute http(s) URL without a fragment; use e.g. \"https://login.example.com/oauth2/token\""
            : tokenUrl.UserInfo.Length > 0
                // Not quoted: what is written before the @ is a credential.
                ? "has credentials in it (user:password@); remove them: the gateway authenticates with clientId and clientSecret"
                : tokenUrl.Scheme == Uri.UriSchemeHttp && !tokenUrl.IsLoopback
                    ? $"\"{text}\" uses plain http on a non-loopback host: the client secret would cross the network in clear; use https"
                    : null;
        return problem is null;
    }
}
