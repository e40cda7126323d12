using Proctor.Configuration.Options;

namespace Proctor.Configuration.Validation;

/// <summary>
/// <c>upstreams.X.oauth</c>: a token endpoint, a client id and a client secret given as a reference.
/// Runs after <see cref="SecretReferenceValidator"/>, which resolved <c>clientSecret</c>.
/// </summary>
internal sealed class UpstreamOAuthValidator : IOptionsValidator
{
    public void Validate(ProctorOptions options, ValidationContext context)
    {
        foreach (var (name, upstream) in options.Upstreams)
        {
            if (upstream.OAuth is not { } oauth || upstream.Transport != UpstreamTransport.Http)
            {
                continue;
            }

            var path = $"upstreams.{name}.oauth";
            if (oauth.TokenUrl is null)
            {
                context.Add($"{path}.tokenUrl", "is required: the authorization server's token endpoint, e.g. \"https://login.example.com/oauth2/token\"");
            }
            else if (!IdentityValidator.TryHttpUrl(oauth.TokenUrl, out var tokenUrl) || tokenUrl.Fragment.Length > 0)
            {
                context.Add($"{path}.tokenUrl", $"\"{oauth.TokenUrl}\" is not an absolute http(s) URL without a fragment; use e.g. \"https://login.example.com/oauth2/token\"");
            }
            else if (tokenUrl.UserInfo.Length > 0)
            {
                // Not quoted: what is written before the @ is a credential.
                context.Add($"{path}.tokenUrl", "has credentials in it (user:password@); remove them: the gateway authenticates with clientId and clientSecret");
            }
            else if (tokenUrl.Scheme == Uri.UriSchemeHttp && !tokenUrl.IsLoopback)
            {
                context.Add($"{path}.tokenUrl", $"\"{oauth.TokenUrl}\" uses plain http on a non-loopback host: the client secret would cross the network in clear; use https");
            }

            if (string.IsNullOrWhiteSpace(oauth.ClientId))
            {
                context.Add($"{path}.clientId", "is required: the client id the authorization server issued to the gateway, e.g. \"proctor-gateway\"");
            }

            if (oauth.ClientSecret is null)
            {
                context.Add($"{path}.clientSecret", $"is required; reference it, e.g. \"${{env:{name.ToUpperInvariant().Replace('-', '_')}_CLIENT_SECRET}}\"");
            }

            if (oauth.ClientAuthentication is { } method && !TryParseClientAuthentication(method, out _))
            {
                context.Add($"{path}.clientAuthentication", $"\"{method}\" is not a client authentication method; use basic (client_secret_basic) or post (client_secret_post)");
            }

            if (oauth.Resource is { } resource && (!IdentityValidator.TryHttpUrl(resource, out var resourceUri) || resourceUri.Fragment.Length > 0))
            {
                context.Add($"{path}.resource", $"\"{resource}\" is not an absolute http(s) URL without a fragment (RFC 8707); use e.g. \"https://crm.example.com/mcp\"");
            }

            if (oauth.Scope is { } scope && scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(s => !Formats.ScopeFormat.IsValid(s)))
            {
                context.Add($"{path}.scope", $"\"{scope}\" is not a space-separated list of OAuth scopes; use e.g. \"crm.read crm.write\"");
            }

            foreach (var header in (IEnumerable<string>?)upstream.Headers?.Keys ?? [])
            {
                if (header.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    context.Add($"upstreams.{name}.headers.{header}", "conflicts with oauth, which sets Authorization to the gateway's own token; remove one of them");
                }
            }
        }
    }

    internal static bool TryParseClientAuthentication(string text, out OAuthClientAuthentication method)
    {
        switch (text.ToLowerInvariant())
        {
            case "basic" or "client_secret_basic":
                method = OAuthClientAuthentication.Basic;
                return true;
            case "post" or "client_secret_post":
                method = OAuthClientAuthentication.Post;
                return true;
            default:
                method = default;
                return false;
        }
    }
}
