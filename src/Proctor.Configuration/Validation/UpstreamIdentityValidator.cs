using Proctor.Configuration.Formats;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Validation;

/// <summary>Per-upstream identity requirements (<c>requireMfa</c>, <c>maxAuthAge</c>, <c>requiredScopes</c>), which need the <c>identity:</c> section.</summary>
internal sealed class UpstreamIdentityValidator : IOptionsValidator
{
    public void Validate(ProctorOptions options, ValidationContext context)
    {
        foreach (var (name, upstream) in options.Upstreams)
        {
            var path = $"upstreams.{name}";
            if (upstream.RequireMfa is { } requireMfa && !upstream.RefusedKeys.Contains("requireMfa"))
            {
                context.AddIf(BooleanFormat.TryParse(requireMfa, out _, out var problem), $"{path}.requireMfa", problem);
            }

            if (upstream.MaxAuthAge is { } maxAuthAge && !upstream.RefusedKeys.Contains("maxAuthAge"))
            {
                context.AddIf(DurationFormat.TryParse(maxAuthAge, "12h", out _, out var problem), $"{path}.maxAuthAge", problem);
            }

            if (!upstream.RefusedKeys.Contains("requiredScopes"))
            {
                Formats.ScopeFormat.Validate(upstream.RequiredScopes, $"{path}.requiredScopes", context);
            }

            if ((upstream.RequireMfa is not null || upstream.MaxAuthAge is not null || upstream.RequiredScopes is { Count: > 0 }) && options.Identity is null)
            {
                var key = upstream.RequireMfa is not null ? "requireMfa" : upstream.MaxAuthAge is not null ? "maxAuthAge" : "requiredScopes";
                context.Add($"{path}.{key}", "needs the identity section: without verified tokens there are no authentication facts to check; configure identity (docs/configuration.md) or remove this key");
            }
        }
    }
}
