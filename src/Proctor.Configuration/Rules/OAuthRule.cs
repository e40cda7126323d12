using Proctor.Configuration.Binding;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Rules;

/// <summary><c>upstreams.X.oauth</c>: a token endpoint, a client id and a client secret; and no Authorization header beside it.</summary>
internal sealed class OAuthRule : IConfigurationRule
{
    public static string SecretExample(string upstream) => $"${{env:{upstream.ToUpperInvariant().Replace('-', '_')}_CLIENT_SECRET}}";

    public void Check(ProctorOptions options, BindingContext context)
    {
        foreach (var (name, upstream) in options.Upstreams)
        {
            var path = $"upstreams.{name}.oauth";
            if (upstream.OAuth is not { } oauth || UpstreamKindRule.Kind($"upstreams.{name}", context) != UpstreamKind.Http)
            {
                continue;
            }

            Required(oauth.TokenUrl, $"{path}.tokenUrl", "is required: the authorization server's token endpoint, e.g. \"https://login.example.com/oauth2/token\"", context);
            Required(string.IsNullOrWhiteSpace(oauth.ClientId) ? null : oauth.ClientId, $"{path}.clientId", "is required: the client id the authorization server issued to the gateway, e.g. \"proctor-gateway\"", context);
            Required(oauth.ClientSecret, $"{path}.clientSecret", $"is required; reference it, e.g. \"{SecretExample(name)}\"", context);
            foreach (var header in context.KeysOf($"upstreams.{name}.headers").Where(header => header.Equals("Authorization", StringComparison.OrdinalIgnoreCase)))
            {
                context.Add($"upstreams.{name}.headers.{header}", "conflicts with oauth, which sets Authorization to the gateway's own token; remove one of them");
            }
        }
    }

    private static void Required(object? value, string key, string message, BindingContext context)
    {
        if (value is null && !context.IsRefused(key))
        {
            context.Add(key, message);
        }
    }
}
