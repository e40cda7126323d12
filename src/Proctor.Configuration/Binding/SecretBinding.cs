using Proctor.Configuration.Models.Secrets;
using Proctor.Configuration.Secrets;

namespace Proctor.Configuration.Binding;

/// <summary>
/// Secrets are only ever written as references. A value that may hold them is parsed and each distinct
/// reference resolved exactly once, while it is bound; messages name the key and the variable or file,
/// never a value.
/// </summary>
internal static class SecretBinding
{
    public const string NotResolvedHere = "secret references are resolved only in env, headers, url, oauth.clientSecret, webhook secrets and masking deny-list terms";

    /// <summary>Null when the text does not parse or a reference does not resolve (reported).</summary>
    /// <param name="credential">The resolved values are the gateway's own credentials, masked wherever they appear.</param>
    public static SecretValue? Resolve(string text, string key, BindingContext context, bool credential)
    {
        if (!SecretTemplate.TryParse(text, out var template, out var problem))
        {
            context.Add(key, problem!);
            return null;
        }

        if (!template.HasReferences)
        {
            context.LiteralSecrets.Add(key);
        }

        var references = template.References.Distinct().ToList();
        var resolved = new Dictionary<SecretReference, string>();
        foreach (var reference in references)
        {
            if (!context.Secrets.Schemes.Contains(reference.Scheme))
            {
                context.Add(key, $"{reference} uses the unknown scheme \"{reference.Scheme}\"; use {SecretTemplate.DescribeSchemes(context.Secrets.Schemes)}");
                continue;
            }

            SecretResolution resolution;
            try
            {
                resolution = context.Secrets.Resolve(reference);
            }
            catch (Exception e)
            {
                // Resolvers should fail with a reason; one that throws (a network error from a cloud
                // store) still becomes an error naming the key, so the other errors are reported too.
                context.Add(key, $"{reference} could not be resolved: {e.Message}");
                continue;
            }

            if (resolution.Succeeded)
            {
                resolved[reference] = resolution.Reveal();
            }
            else
            {
                context.Add(key, resolution.FailureReason!);
            }
        }

        if (credential)
        {
            context.GatewaySecrets.UnionWith(resolved.Values);
        }

        return resolved.Count == references.Count ? new SecretValue(text, template.Render(reference => resolved[reference])) : null;
    }

    /// <summary>Whether the text holds a reference that would be passed on unresolved.</summary>
    public static bool MentionsReference(string text, BindingContext context) =>
        SecretTemplate.MentionsReference(text, context.Secrets.Schemes);
}
