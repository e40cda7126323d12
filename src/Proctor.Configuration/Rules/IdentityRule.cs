using Proctor.Configuration.Binding;
using Proctor.Configuration.Models;
using Proctor.Configuration.Options;
using Proctor.Configuration.Reading;

namespace Proctor.Configuration.Rules;

/// <summary><c>identity</c>: keys pinned only for a trusted issuer; roles the gateway knows, each granted to some group.</summary>
internal sealed class IdentityRule : IConfigurationRule
{
    public void Check(ProctorOptions options, BindingContext context)
    {
        if (options.Identity is not { } identity)
        {
            return;
        }

        foreach (var issuer in identity.IssuerKeyFiles.Keys.Where(issuer => !identity.Issuers.Any(trusted => trusted.OriginalString == issuer)))
        {
            context.Add($"identity.issuerKeys.{issuer}", "names no issuer listed in identity.issuers; pin keys only for an issuer the gateway trusts, written exactly as in identity.issuers");
        }

        foreach (var (role, groups) in identity.Roles)
        {
            var key = KeyPath.Child("identity.roles", role);
            if (!IdentityRoles.Known.Contains(role, StringComparer.Ordinal))
            {
                var closest = KeySuggestion.Closest(role, IdentityRoles.Known);
                context.Add(key, $"\"{role}\" is not a role the gateway knows{(closest is null ? "" : $" (did you mean \"{closest}\"?)")}; the roles are {string.Join(", ", IdentityRoles.Known)}");
            }
            else if (groups.Count == 0 && !context.IsRefused(key) && !HasRefusedEntry(key, context))
            {
                context.Add(key, "lists no group; name the identity provider groups whose members hold this role, e.g. [\"auditors\"]");
            }
        }
    }

    /// <summary>An entry written but refused (a blank group) is reported already; the role does list something.</summary>
    private static bool HasRefusedEntry(string key, BindingContext context) => context.IsRefused(KeyPath.Item(key, 0));
}
