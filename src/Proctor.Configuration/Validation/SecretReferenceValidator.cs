using Proctor.Configuration.Formats;
using Proctor.Configuration.Options;
using Proctor.Configuration.Secrets;

namespace Proctor.Configuration.Validation;

/// <summary>
/// Secrets are only ever written as references. This validator parses every value that may hold
/// references (<c>env</c> and <c>headers</c> values, <c>url</c>, <c>oauth.clientSecret</c>, deny-list
/// terms under <c>masking</c>), resolves each reference once through
/// the configured <see cref="ISecretResolver"/>, and records the results for the validators after it
/// and for the model. It refuses a credential written literally, and a reference where none is
/// resolved (a command line, which every local user can read). Messages name the key and the
/// variable or file, never a value.
/// </summary>
internal sealed class SecretReferenceValidator : IOptionsValidator
{
    private const string NotResolvedHere = "secret references are resolved only in env, headers, url, oauth.clientSecret and masking deny-list terms";

    private const string CommandLine =
        NotResolvedHere + ", and a command line is visible to every local user; pass the secret through env, e.g. env: { TOKEN: \"${env:TOKEN}\" }";

    public void Validate(ProctorOptions options, ValidationContext context)
    {
        foreach (var (name, upstream) in options.Upstreams)
        {
            if (upstream.Unreadable)
            {
                continue;
            }

            var path = $"upstreams.{name}";
            switch (upstream.Transport)
            {
                case UpstreamTransport.Stdio:
                    foreach (var (variable, value) in upstream.Env ?? [])
                    {
                        var key = $"{path}.env.{variable}";
                        if (Resolve(value, key, context, credential: true) is { HasReferences: false } && value.Length > 0 && CredentialNames.IsCredentialVariable(variable))
                        {
                            context.Add(key, $"a credential must not be written into the configuration; reference it instead, e.g. \"${{env:{variable}}}\"");
                        }
                    }

                    RefuseUnresolved(upstream.Command, $"{path}.command", NotResolvedHere + "; name the program itself", context);
                    RefuseUnresolved(upstream.Cwd, $"{path}.cwd", NotResolvedHere + "; write the folder itself", context);
                    for (var i = 0; i < upstream.Args?.Count; i++)
                    {
                        RefuseUnresolved(upstream.Args[i], $"{path}.args[{i}]", CommandLine, context);
                    }

                    break;

                case UpstreamTransport.Http:
                    if (upstream.Url is { } url)
                    {
                        Resolve(url, $"{path}.url", context, credential: false);
                    }

                    foreach (var (header, value) in upstream.Headers ?? [])
                    {
                        var key = $"{path}.headers.{header}";
                        if (Resolve(value, key, context, credential: true) is { HasReferences: false } && value.Length > 0 && CredentialNames.IsCredentialHeader(header))
                        {
                            context.Add(key, $"a credential must not be written into the configuration; reference it instead, e.g. \"{CredentialNames.SuggestHeaderReference(name, header)}\"");
                        }
                    }

                    if (upstream.OAuth is { } oauth)
                    {
                        ResolveOAuth(oauth, name, $"{path}.oauth", context);
                    }

                    break;
            }
        }

        var denyLists = options.Masking?.DenyLists ?? [];
        for (var i = 0; i < denyLists.Count; i++)
        {
            for (var t = 0; t < denyLists[i].Terms?.Count; t++)
            {
                Resolve(denyLists[i].Terms![t], $"masking.denyLists[{i}].terms[{t}]", context, credential: false);
            }
        }
    }

    /// <summary>
    /// Resolves the client secret. The other values are sent to the authorization server as written, so a
    /// reference there would reach it unresolved (a client id "${env:CRM_CLIENT_ID}") and is refused.
    /// </summary>
    private static void ResolveOAuth(OAuthOptions oauth, string upstream, string path, ValidationContext context)
    {
        if (oauth.ClientSecret is { } clientSecret && Resolve(clientSecret, $"{path}.clientSecret", context, credential: true) is { HasReferences: false })
        {
            context.Add($"{path}.clientSecret", $"a client secret must not be written into the configuration; reference it instead, e.g. \"${{env:{upstream.ToUpperInvariant().Replace('-', '_')}_CLIENT_SECRET}}\"");
        }

        RefuseUnresolved(oauth.TokenUrl, $"{path}.tokenUrl", NotResolvedHere + "; write the URL itself", context);
        RefuseUnresolved(oauth.ClientId, $"{path}.clientId", NotResolvedHere + "; write the client id itself (it is not a secret)", context);
        RefuseUnresolved(oauth.Scope, $"{path}.scope", NotResolvedHere + "; write the scopes themselves", context);
        RefuseUnresolved(oauth.Resource, $"{path}.resource", NotResolvedHere + "; write the URL itself", context);
        RefuseUnresolved(oauth.Audience, $"{path}.audience", NotResolvedHere + "; write the audience itself", context);
    }

    /// <summary>
    /// Parses and resolves one value; records it when every reference resolved. Returns the template when it parsed.
    /// The values of a <paramref name="credential"/>'s references become gateway secrets, masked wherever they appear.
    /// </summary>
    private static SecretTemplate? Resolve(string text, string key, ValidationContext context, bool credential)
    {
        if (!SecretTemplate.TryParse(text, out var template, out var problem))
        {
            context.Add(key, problem!);
            return null;
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

        if (resolved.Count == references.Count)
        {
            context.Resolved[key] = new SecretValue(text, template.Render(reference => resolved[reference]));
        }

        return template;
    }

    /// <summary>Whether the value holds a reference that would be passed on unresolved.</summary>
    internal static bool HoldsReference(string? text, ValidationContext context) =>
        text is not null && SecretTemplate.MentionsReference(text, context.Secrets.Schemes);

    private static void RefuseUnresolved(string? text, string key, string message, ValidationContext context)
    {
        if (HoldsReference(text, context))
        {
            context.Add(key, message);
        }
    }
}
