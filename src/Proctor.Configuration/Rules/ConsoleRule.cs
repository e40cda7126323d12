using Proctor.Configuration.Binding;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Rules;

/// <summary>
/// <c>console</c>: sign-in needs people the gateway can verify (an identity section), the provider must be one whose
/// tokens the gateway trusts, and the idle timeout must let a page be read.
/// </summary>
internal sealed class ConsoleRule : IConfigurationRule
{
    public void Check(ProctorOptions options, BindingContext context)
    {
        var console = options.Console;
        if (options.Identity is null && (console.ClientId is not null || console.TokenSignIn) && !context.IsRefusedWithin("console"))
        {
            context.Add("console", "the console signs in verified people only, and there is no identity: section. Add identity (resource, issuers, roles) or remove console.");
            return;
        }

        if (console.Issuer is { } issuer && options.Identity is { } identity && !context.IsRefused("console.issuer")
            && !identity.Issuers.Any(trusted => string.Equals(trusted.OriginalString.TrimEnd('/'), issuer.OriginalString.TrimEnd('/'), StringComparison.Ordinal)))
        {
            context.Add("console.issuer", $"'{issuer.OriginalString}' is not one of identity.issuers; the console's tokens would be refused. Use one of: {string.Join(", ", identity.Issuers.Select(i => i.OriginalString))}.");
        }

        if (!context.IsRefused("console.idleTimeout") && console.IdleTimeout < TimeSpan.FromMinutes(1))
        {
            context.Add("console.idleTimeout", $"{console.IdleTimeout.TotalSeconds:0.###}s would sign people out while they read a page. Use at least \"1m\", e.g. \"30m\".");
        }
    }
}
