using System.Text.RegularExpressions;
using Proctor.Configuration.Binding;
using Proctor.Configuration.Formats;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Rules;

/// <summary>Upstreams with <c>command</c>: a program to run, environment variable names a shell accepts, a back-off that grows.</summary>
internal sealed partial class StdioUpstreamRule : IConfigurationRule
{
    public void Check(ProctorOptions options, BindingContext context)
    {
        foreach (var (name, upstream) in options.Upstreams)
        {
            var path = $"upstreams.{name}";
            if (UpstreamKindRule.Kind(path, context) != UpstreamKind.Stdio)
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(upstream.Command) && !context.IsRefused($"{path}.command"))
            {
                context.Add($"{path}.command", "is empty; name the program to run, e.g. \"npx\"");
            }

            foreach (var variable in context.KeysOf($"{path}.env").Where(variable => !VariableName().IsMatch(variable)))
            {
                context.Add(
                    $"{path}.env.{variable}",
                    $"{DisplayText.Quote(variable)} is not an environment variable name; use letters, digits and underscores, not starting with a digit, e.g. {DisplayText.Quote(SuggestVariable(variable))}");
            }

            var (initial, max) = ($"{path}.restart.initialBackoff", $"{path}.restart.maxBackoff");
            if (upstream.Restart.InitialBackoff > upstream.Restart.MaxBackoff && !context.IsRefused(initial) && !context.IsRefused(max))
            {
                var limit = DurationFormat.Format(upstream.Restart.MaxBackoff);
                var written = context.TextOf(initial) ?? DurationFormat.Format(upstream.Restart.InitialBackoff);
                context.Add(initial, $"{DisplayText.Quote(written)} is longer than maxBackoff (\"{limit}\"); make it at most \"{limit}\"");
            }
        }
    }

    private static string SuggestVariable(string name)
    {
        var suggestion = string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'));
        return suggestion.Length == 0 || char.IsAsciiDigit(suggestion[0]) ? "_" + suggestion : suggestion;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}
