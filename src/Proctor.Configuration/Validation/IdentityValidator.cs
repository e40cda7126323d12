using Proctor.Configuration.Formats;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Validation;

/// <summary>The <c>identity:</c> section: canonical resource URI, trusted issuers, algorithms, clock skew.</summary>
internal sealed class IdentityValidator : IOptionsValidator
{
    /// <summary>More than this and an expired or not-yet-valid token stays usable for too long.</summary>
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public void Validate(ProctorOptions options, ValidationContext context)
    {
        if (options.Identity is not { } identity)
        {
            return;
        }

        if (identity.Resource is null)
        {
            context.Add("identity.resource", "is required: the gateway's canonical URI, which tokens must carry as their audience; use e.g. \"https://gateway.example.com/mcp\"");
        }
        else if (!TryHttpUrl(identity.Resource, out var resource) || resource.Fragment.Length > 0)
        {
            context.Add("identity.resource", $"\"{identity.Resource}\" is not an absolute http(s) URL without a fragment; use e.g. \"https://gateway.example.com/mcp\"");
        }

        if (identity.Issuers is not { Count: > 0 })
        {
            context.Add("identity.issuers", "lists no issuer: name at least one OpenID Connect issuer whose tokens the gateway accepts, e.g. [\"https://login.example.com\"]");
        }

        for (var i = 0; i < identity.Issuers?.Count; i++)
        {
            var text = identity.Issuers[i];
            if (!TryHttpUrl(text, out var issuer))
            {
                context.Add($"identity.issuers[{i}]", $"\"{text}\" is not an absolute http(s) URL; use the issuer exactly as its tokens' iss claim, e.g. \"https://login.example.com\"");
            }
            else if (issuer.Scheme == Uri.UriSchemeHttp && !issuer.IsLoopback)
            {
                context.Add($"identity.issuers[{i}]", $"\"{text}\" uses plain http on a non-loopback host: its signing keys could be replaced in transit; use https");
            }
        }

        if (identity.GroupsClaim is { Length: 0 })
        {
            context.Add("identity.groupsClaim", "is empty; use the claim that lists the caller's groups or roles, e.g. \"groups\" or \"roles\"");
        }

        for (var i = 0; i < identity.Algorithms?.Count; i++)
        {
            var algorithm = identity.Algorithms[i];
            if (!IdentityOptions.AllowedAlgorithms.Contains(algorithm, StringComparer.Ordinal))
            {
                context.Add($"identity.algorithms[{i}]", $"\"{algorithm}\" is not allowed; use asymmetric algorithms only: {string.Join(", ", IdentityOptions.AllowedAlgorithms)}");
            }
        }

        if (identity.AgentKeys is { } agentKeys)
        {
            context.AddIf(BooleanFormat.TryParse(agentKeys, out _, out var agentKeysProblem), "identity.agentKeys", agentKeysProblem);
        }

        ScopeFormat.Validate(identity.ScopesSupported, "identity.scopesSupported", context);
        foreach (var (issuer, file) in identity.IssuerKeys ?? [])
        {
            if (identity.Issuers?.Contains(issuer, StringComparer.Ordinal) != true)
            {
                context.Add($"identity.issuerKeys.{issuer}", "names no issuer listed in identity.issuers; pin keys only for an issuer the gateway trusts, written exactly as in identity.issuers");
            }
            else if (file.Trim().Length == 0 || file.Contains("${", StringComparison.Ordinal))
            {
                context.Add($"identity.issuerKeys.{issuer}", "must be the path of the issuer's JWKS file (its public keys), e.g. \"keys/login.jwks.json\"");
            }
        }

        if (identity.ClockSkew is { } skew)
        {
            if (!DurationFormat.TryParse(skew, IdentityOptions.DefaultClockSkew, out var value, out var problem))
            {
                context.Add("identity.clockSkew", problem!);
            }
            else if (value > MaxClockSkew)
            {
                context.Add("identity.clockSkew", $"\"{skew}\" is more than 5m: expired tokens would stay usable that long; use e.g. \"30s\"");
            }
        }
    }

    internal static bool TryHttpUrl(string text, out Uri url) =>
        Uri.TryCreate(text, UriKind.Absolute, out url!) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);
}
