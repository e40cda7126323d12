using System.Text.RegularExpressions;
using Proctor.Configuration.Formats;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Validation;

/// <summary>Upstreams with <c>command</c>: the process to start, its environment, and how it is supervised.</summary>
internal sealed partial class StdioUpstreamValidator : IOptionsValidator
{
    public void Validate(ProctorOptions options, ValidationContext context)
    {
        foreach (var (name, upstream) in options.Upstreams)
        {
            if (upstream.Unreadable || upstream.Transport != UpstreamTransport.Stdio)
            {
                continue;
            }

            var path = $"upstreams.{name}";
            foreach (var key in upstream.WrittenKeys.Intersect(UpstreamOptions.HttpKeys))
            {
                context.Add($"{path}.{key}", "applies only to remote upstreams (those with \"url\"); remove it from this command upstream");
            }

            if (string.IsNullOrWhiteSpace(upstream.Command) && !upstream.RefusedKeys.Contains("command"))
            {
                context.Add($"{path}.command", "is empty; name the program to run, e.g. \"npx\"");
            }

            foreach (var variable in upstream.Env?.Keys ?? Enumerable.Empty<string>())
            {
                if (!VariableName().IsMatch(variable))
                {
                    context.Add(
                        $"{path}.env.{variable}",
                        $"{DisplayText.Quote(variable)} is not an environment variable name; use letters, digits and underscores, not starting with a digit, e.g. {DisplayText.Quote(SuggestVariable(variable))}");
                }
            }

            // A reference in cwd is refused by SecretReferenceValidator; saying it is not absolute too would be noise.
            if (upstream.Cwd is { } cwd && !Path.IsPathFullyQualified(cwd) && !SecretReferenceValidator.HoldsReference(cwd, context))
            {
                context.Add($"{path}.cwd", $"{DisplayText.Quote(cwd)} is not an absolute path; use a full path, e.g. \"/srv/mcp\"");
            }

            if (upstream.Timeout is { } timeout)
            {
                context.AddIf(DurationFormat.TryParse(timeout, "30s", out _, out var problem), $"{path}.timeout", problem);
            }

            if (upstream.ShutdownGrace is { } grace)
            {
                context.AddIf(DurationFormat.TryParse(grace, UpstreamOptions.DefaultShutdownGrace, out _, out var problem), $"{path}.shutdownGrace", problem);
            }

            ValidateRestart(upstream.Restart, $"{path}.restart", context);
        }
    }

    private static void ValidateRestart(RestartOptions? restart, string path, ValidationContext context)
    {
        if (restart is null)
        {
            return;
        }

        var initialText = restart.InitialBackoff ?? UpstreamOptions.DefaultInitialBackoff;
        var maxText = restart.MaxBackoff ?? UpstreamOptions.DefaultMaxBackoff;
        var initialOk = DurationFormat.TryParse(initialText, UpstreamOptions.DefaultInitialBackoff, out var initial, out var initialProblem);
        var maxOk = DurationFormat.TryParse(maxText, UpstreamOptions.DefaultMaxBackoff, out var max, out var maxProblem);
        context.AddIf(initialOk, $"{path}.initialBackoff", initialProblem);
        context.AddIf(maxOk, $"{path}.maxBackoff", maxProblem);
        if (initialOk && maxOk && initial > max)
        {
            context.Add(
                $"{path}.initialBackoff",
                $"{DisplayText.Quote(initialText)} is longer than maxBackoff (\"{DurationFormat.Format(max)}\"); make it at most \"{DurationFormat.Format(max)}\"");
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
