using System.Text;
using System.Text.RegularExpressions;
using Proctor.Configuration.Binding;
using Proctor.Configuration.Formats;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Rules;

/// <summary>
/// Upstream names become tool prefixes (<c>{server}__{tool}</c>) and path segments (<c>/mcp/{server}</c>),
/// so they are short, lower case, and free of underscores, which would make the prefix ambiguous.
/// </summary>
internal sealed partial class UpstreamNameRule : IConfigurationRule
{
    /// <summary>The prefix of the tools the gateway serves itself on <c>/mcp</c>.</summary>
    private const string Reserved = "proctor";

    public void Check(ProctorOptions options, BindingContext context)
    {
        foreach (var name in options.Upstreams.Keys.Where(name => !Syntax().IsMatch(name)))
        {
            context.Add(
                $"upstreams.{name}",
                $"{DisplayText.Quote(name)} is not a valid upstream name; names become tool prefixes ({{server}}__{{tool}}), so they may hold only lower-case letters, digits and hyphens (no underscores), 1 to 32 characters, starting with a letter or digit; use {DisplayText.Quote(Suggest(name))}");
        }

        if (options.Upstreams.ContainsKey(Reserved))
        {
            context.Add($"upstreams.{Reserved}",
                $"\"{Reserved}\" is reserved for the gateway's own tools (proctor__request_access, decision 0045), so an upstream cannot use it; rename the upstream, e.g. {DisplayText.Quote(Reserved + "-tools")}");
        }
    }

    /// <summary>The name with invalid characters made hyphens, e.g. "My_Server" to "my-server".</summary>
    internal static string Suggest(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var suggestion = builder.ToString();
        suggestion = (suggestion.Length > 32 ? suggestion[..32] : suggestion).TrimEnd('-');
        return suggestion.Length == 0 ? "crm" : suggestion;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$")]
    private static partial Regex Syntax();
}
