using Proctor.Configuration.Binding;
using Proctor.Configuration.Building;
using Proctor.Configuration.Formats;
using Proctor.Configuration.Options;
using Proctor.Configuration.Reading;
using Proctor.Masking.Policy;

namespace Proctor.Configuration.Rules;

/// <summary>
/// The <c>masking:</c> section: overrides name a configured upstream, and the masking engine's own checks
/// (<see cref="MaskingPolicyValidator"/>: entity types, patterns, keepLast range, names) are reported under
/// their full keys.
/// </summary>
internal sealed class MaskingRule : IConfigurationRule
{
    private const string Section = "masking";

    public void Check(ProctorOptions options, BindingContext context)
    {
        var masking = options.Masking;
        for (var i = 0; i < masking.Overrides.Count; i++)
        {
            if (masking.Overrides[i].Server is { Length: > 0 } server && !options.Upstreams.ContainsKey(server))
            {
                context.Add($"{Section}.overrides[{i}].server", UnknownUpstream(server, [.. options.Upstreams.Keys]));
            }
        }

        var reported = context.Errors.Select(error => error.Key).Where(key => KeyPath.IsWithin(key, Section)).ToList();
        foreach (var problem in MaskingPolicyValidator.Problems(MaskingPolicyBuilder.Build(masking, [])))
        {
            var key = KeyPath.Child(Section, problem.Key);

            // An entry that could not be read, or a value refused while binding, stands in with its default
            // (an entry of a list is left out); what the engine would say about that is noise.
            if (!reported.Any(earlier => KeyPath.IsWithin(key, earlier) || earlier.StartsWith(key + "[", StringComparison.Ordinal)))
            {
                context.Add(key, problem.Message);
            }
        }
    }

    private static string UnknownUpstream(string server, IReadOnlyCollection<string> upstreams)
    {
        if (upstreams.Count == 0)
        {
            return $"{DisplayText.Quote(server)} is not a configured upstream, and none is configured; add it under upstreams or remove the override";
        }

        var closest = KeySuggestion.Closest(server, upstreams);
        return closest is null
            ? $"{DisplayText.Quote(server)} is not a configured upstream; use one of {string.Join(", ", upstreams)}"
            : $"{DisplayText.Quote(server)} is not a configured upstream; did you mean \"{closest}\"?";
    }
}
