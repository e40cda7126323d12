using Proctor.Configuration.Binding;
using Proctor.Configuration.Options;
using Proctor.Configuration.Secrets;

namespace Proctor.Configuration.Rules;

/// <summary>
/// A credential is referenced, never written into the file: an <c>env</c> variable or header whose name
/// says it carries one, and every OAuth client secret. Messages name the key and a reference that would
/// work, never the value.
/// </summary>
internal sealed class LiteralCredentialRule : IConfigurationRule
{
    public void Check(ProctorOptions options, BindingContext context)
    {
        foreach (var (name, upstream) in options.Upstreams)
        {
            var path = $"upstreams.{name}";
            switch (UpstreamKindRule.Kind(path, context))
            {
                case UpstreamKind.Stdio:
                    foreach (var (variable, value) in upstream.Env)
                    {
                        if (Literal($"{path}.env.{variable}", value.Reference, context) && CredentialNames.IsCredentialVariable(variable))
                        {
                            context.Add($"{path}.env.{variable}", $"a credential must not be written into the configuration; reference it instead, e.g. \"${{env:{variable}}}\"");
                        }
                    }

                    break;

                case UpstreamKind.Http:
                    foreach (var (header, value) in upstream.Headers)
                    {
                        if (Literal($"{path}.headers.{header}", value.Reference, context) && CredentialNames.IsCredentialHeader(header))
                        {
                            context.Add($"{path}.headers.{header}", $"a credential must not be written into the configuration; reference it instead, e.g. \"{CredentialNames.SuggestHeaderReference(name, header)}\"");
                        }
                    }

                    if (context.LiteralSecrets.Contains($"{path}.oauth.clientSecret"))
                    {
                        context.Add($"{path}.oauth.clientSecret", $"a client secret must not be written into the configuration; reference it instead, e.g. \"{OAuthRule.SecretExample(name)}\"");
                    }

                    break;
            }
        }
    }

    private static bool Literal(string key, string text, BindingContext context) => text.Length > 0 && context.LiteralSecrets.Contains(key);
}
