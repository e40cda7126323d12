using Proctor.Configuration.Binding;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Rules;

/// <summary>Per-upstream identity requirements (<c>requireMfa</c>, <c>maxAuthAge</c>, <c>requiredScopes</c>) need verified tokens: the <c>identity:</c> section.</summary>
internal sealed class UpstreamIdentityRule : IConfigurationRule
{
    public void Check(ProctorOptions options, BindingContext context)
    {
        if (options.Identity is not null)
        {
            return;
        }

        foreach (var (name, upstream) in options.Upstreams)
        {
            var path = $"upstreams.{name}";
            var key = context.IsWritten(path, "requireMfa") ? "requireMfa"
                : context.IsWritten(path, "maxAuthAge") ? "maxAuthAge"
                : upstream.RequiredScopes.Count > 0 ? "requiredScopes"
                : null;
            if (key is not null)
            {
                context.Add($"{path}.{key}", "needs the identity section: without verified tokens there are no authentication facts to check; configure identity (docs/configuration.md) or remove this key");
            }
        }
    }
}
