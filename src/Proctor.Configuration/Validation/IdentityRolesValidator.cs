using Proctor.Configuration.Options;
using Proctor.Configuration.Reading;

namespace Proctor.Configuration.Validation;

/// <summary><c>identity.roles</c>: every role is one the gateway knows, and each names at least one group.</summary>
internal sealed class IdentityRolesValidator : IOptionsValidator
{
    public void Validate(ProctorOptions options, ValidationContext context)
    {
        foreach (var (role, groups) in options.Identity?.Roles ?? [])
        {
            var key = KeyPath.Child("identity.roles", role);
            if (!IdentityRoles.Known.Contains(role, StringComparer.Ordinal))
            {
                var closest = KeySuggestion.Closest(role, IdentityRoles.Known);
                context.Add(key, $"\"{role}\" is not a role the gateway knows{(closest is null ? "" : $" (did you mean \"{closest}\"?)")}; the roles are {string.Join(", ", IdentityRoles.Known)}");
            }
            else if (groups.Count == 0)
            {
                context.Add(key, "lists no group; name the identity provider groups whose members hold this role, e.g. [\"auditors\"]");
            }

            for (var i = 0; i < groups.Count; i++)
            {
                if (groups[i].Trim().Length == 0)
                {
                    context.Add(KeyPath.Item(key, i), "is blank; name a group exactly as the groups claim carries it, e.g. \"auditors\"");
                }
            }
        }
    }
}
