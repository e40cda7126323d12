using System.Text;
using System.Text.RegularExpressions;

namespace Proctor.Configuration.Secrets;

/// <summary>
/// A value that may contain references: literal text with <c>${scheme:name}</c> anywhere in it, and
/// <c>$${</c> for a literal <c>${</c>. Problems are described without quoting the literal text around
/// the references, which may itself be sensitive.
/// </summary>
internal sealed partial class SecretTemplate
{
    private readonly List<(string? Literal, SecretReference Reference)> parts;

    private SecretTemplate(string text, List<(string? Literal, SecretReference Reference)> parts)
    {
        Text = text;
        this.parts = parts;
    }

    /// <summary>The value as written.</summary>
    public string Text { get; }

    public IEnumerable<SecretReference> References =>
        parts.Where(part => part.Literal is null).Select(part => part.Reference);

    public bool HasReferences => parts.Exists(part => part.Literal is null);

    public static bool TryParse(string text, out SecretTemplate template, out string? problem)
    {
        var parts = new List<(string? Literal, SecretReference Reference)>();
        var literal = new StringBuilder();
        problem = null;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '$')
            {
                literal.Append(text[i++]);
                continue;
            }

            if (text.AsSpan(i).StartsWith("$${"))
            {
                literal.Append("${");
                i += 3;
                continue;
            }

            if (!text.AsSpan(i).StartsWith("${"))
            {
                literal.Append(text[i++]);
                continue;
            }

            var close = text.IndexOf('}', i + 2);
            if (close < 0)
            {
                problem = "a reference is not closed; end it with \"}\", e.g. \"${env:CRM_TOKEN}\"";
                break;
            }

            var body = text[(i + 2)..close];
            var colon = body.IndexOf(':');
            if (colon < 0)
            {
                problem = $"\"${{{body}}}\" is not a secret reference; write \"${{env:{body}}}\" to read an environment variable, or \"$${{{body}}}\" for the literal text";
                break;
            }

            var scheme = body[..colon];
            var name = body[(colon + 1)..];
            if (!SchemeSyntax().IsMatch(scheme))
            {
                problem = $"\"${{{body}}}\" is not a secret reference; use \"${{env:NAME}}\" or \"${{file:PATH}}\" (schemes are lower case)";
                break;
            }

            if (name.Length == 0)
            {
                problem = $"\"${{{body}}}\" names nothing; use e.g. \"${{{scheme}:CRM_TOKEN}}\"";
                break;
            }

            if (literal.Length > 0)
            {
                parts.Add((literal.ToString(), default));
                literal.Clear();
            }

            parts.Add((null, new SecretReference(scheme, name)));
            i = close + 1;
        }

        if (literal.Length > 0)
        {
            parts.Add((literal.ToString(), default));
        }

        template = new SecretTemplate(text, parts);
        return problem is null;
    }

    /// <summary>Whether <paramref name="text"/> contains something that looks like a reference to one of <paramref name="schemes"/>.</summary>
    public static bool MentionsReference(string text, IReadOnlyCollection<string> schemes)
    {
        foreach (var scheme in schemes)
        {
            var probe = "${" + scheme + ":";
            var at = text.IndexOf(probe, StringComparison.Ordinal);
            while (at >= 0)
            {
                if (at == 0 || text[at - 1] != '$')
                {
                    return true;
                }

                at = text.IndexOf(probe, at + 1, StringComparison.Ordinal);
            }
        }

        return false;
    }

    public string Render(Func<SecretReference, string> resolve)
    {
        var builder = new StringBuilder();
        foreach (var (text, reference) in parts)
        {
            builder.Append(text ?? resolve(reference));
        }

        return builder.ToString();
    }

    /// <summary>How the schemes are written, for messages: <c>${env:NAME} or ${file:PATH}</c>.</summary>
    public static string DescribeSchemes(IReadOnlyCollection<string> schemes)
    {
        var examples = schemes.Order(StringComparer.Ordinal)
            .Select(scheme => scheme switch
            {
                EnvironmentSecretResolver.Scheme => "${env:NAME}",
                FileSecretResolver.Scheme => "${file:PATH}",
                Aws.AwsSecretResolver.ParameterStoreScheme => "${aws-ssm:/PARAMETER}",
                Aws.AwsSecretResolver.SecretsManagerScheme => "${aws-sm:SECRET_ID}",
                _ => "${" + scheme + ":NAME}",
            })
            .ToList();
        return examples.Count switch
        {
            0 => "nothing (no secret resolver is configured)",
            1 => examples[0],
            _ => string.Join(", ", examples[..^1]) + " or " + examples[^1],
        };
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex SchemeSyntax();
}
