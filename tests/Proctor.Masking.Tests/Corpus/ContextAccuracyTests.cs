using Xunit.Abstractions;

namespace Proctor.Masking.Tests.Corpus;

/// <summary>
/// Every identifier type in every ordinary place (<see cref="ContextCorpus"/>): recall and precision per
/// entity and per context. Set PROCTOR_CONTEXT_ACCURACY_TABLE to a file path to also write the tables as
/// Markdown (docs/masking-accuracy.md quotes them).
/// </summary>
public class ContextAccuracyTests(ITestOutputHelper output)
{
    [Fact]
    public void ContextCorpus_EveryValidIdentifierIsFound_NoHardNegativeIsTouched()
    {
        var evaluation = Evaluation.Of(ContextCorpus.Generate());
        var table = $"""
            Corpus: seed {ContextCorpus.Seed}, {evaluation.Positives} positives, {evaluation.Negatives} hard negatives, {evaluation.ByContext.Count} contexts.
            Hard negatives with any finding: {evaluation.NegativesHit} of {evaluation.Negatives} ({(double)evaluation.NegativesHit / evaluation.Negatives:P2}).

            {evaluation.EntityTable()}
            {evaluation.ContextTable("place", Place)}
            {evaluation.ContextTable("look-alike", LookAlike)}
            """;
        output.WriteLine(table);
        foreach (var miss in evaluation.Misses.Take(200))
        {
            output.WriteLine(miss);
        }

        if (Environment.GetEnvironmentVariable("PROCTOR_CONTEXT_ACCURACY_TABLE") is { Length: > 0 } path)
        {
            File.WriteAllText(path, table);
        }

        Assert.True(evaluation.Misses.Count == 0, $"{evaluation.Misses.Count} misses and touched hard negatives:\n{string.Join('\n', evaluation.Misses.Take(40))}");
    }

    /// <summary>Look-alike contexts grouped by where the value sits (<c>look-alike+url/en-dash</c> is "look-alike in url").</summary>
    private static string Place(string context) =>
        !context.StartsWith("look-alike", StringComparison.Ordinal) ? context
        : context.StartsWith("look-alike/", StringComparison.Ordinal) ? "look-alike in a sentence"
        : $"look-alike in {context["look-alike+".Length..context.IndexOf('/')]}";

    /// <summary>Look-alike contexts grouped by the look-alike, over every place; other contexts left out.</summary>
    private static string? LookAlike(string context) =>
        context.StartsWith("look-alike", StringComparison.Ordinal) ? context[(context.IndexOf('/') + 1)..] : null;

    [Fact]
    public void ContextCorpus_StreamingPathGivesTheSameOutput()
    {
        var differences = CorpusPaths.Differences(ContextCorpus.Generate());
        Assert.True(differences.Count == 0, $"{differences.Count} differences:\n{string.Join('\n', differences.Take(20))}");
    }
}
