using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Proctor.Samples.Conformance.Resources;

namespace Proctor.Samples.Conformance;

/// <summary>
/// completion/complete: suggests values for prompt arguments and resource template variables,
/// keeping those that start with what the user has typed so far.
/// </summary>
internal static class Completions
{
    private const int MaxValues = 100;

    private static readonly Dictionary<(string Reference, string Argument), string[]> Candidates = new()
    {
        [("test_prompt_with_arguments", "arg1")] = ["paris", "park", "party", "test", "testing", "tested"],
        [("test_prompt_with_arguments", "arg2")] = ["world", "word", "work", "test", "tests"],
        [("test_prompt_with_embedded_resource", "resourceUri")] =
            [StaticResources.TextUri, StaticResources.BinaryUri, WatchedResource.Uri, "test://example-resource"],
        [(TemplateResources.DataTemplate, "id")] = ["1", "2", "3", "42", "123"],
    };

    public static ValueTask<CompleteResult> CompleteAsync(
        RequestContext<CompleteRequestParams> context, CancellationToken cancellationToken)
    {
        var reference = context.Params.Ref switch
        {
            PromptReference prompt => prompt.Name,
            ResourceTemplateReference template => template.Uri,
            _ => null,
        };
        var argument = context.Params.Argument;
        var matches = reference is not null && Candidates.TryGetValue((reference, argument.Name), out var candidates)
            ? candidates.Where(value => value.StartsWith(argument.Value, StringComparison.OrdinalIgnoreCase)).ToList()
            : [];

        return ValueTask.FromResult(new CompleteResult
        {
            Completion = new Completion
            {
                Values = [.. matches.Take(MaxValues)],
                Total = matches.Count,
                HasMore = matches.Count > MaxValues,
            },
        });
    }
}
