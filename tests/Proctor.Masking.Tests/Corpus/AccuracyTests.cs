using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Proctor.Masking.Tests.Corpus;

/// <summary>
/// Precision and recall per entity type on the generated base corpus (sentences and field values). Set
/// PROCTOR_ACCURACY_TABLE to a file path to also write the table as Markdown (docs/masking-accuracy.md quotes it).
/// </summary>
public class AccuracyTests(ITestOutputHelper output)
{
    private static readonly string[] RecallGoalTypes = ["card", "iban", "ssn", "aba_routing", "aws_access_key", "aws_secret_key", "jwt", "private_key"];
    private const double RecallGoal = 0.99;
    private const double PrecisionGoal = 0.98;

    [Fact]
    public void Corpus_MeetsRecallAndPrecisionGoals()
    {
        var evaluation = Evaluation.Of(CorpusGenerator.Generate());
        Assert.True(evaluation.Positives >= 5000 && evaluation.Negatives >= 5000, $"corpus too small: {evaluation.Positives} positives, {evaluation.Negatives} negatives");

        var table = $"""
            Corpus: seed {CorpusGenerator.Seed}, {evaluation.Positives} positives, {evaluation.Negatives} hard negatives (half free text, half JSON).
            Hard negatives with any finding: {evaluation.NegativesHit} of {evaluation.Negatives} ({(double)evaluation.NegativesHit / evaluation.Negatives:P2}).

            {evaluation.EntityTable()}
            """;
        output.WriteLine(table);
        foreach (var miss in evaluation.Misses.Take(40))
        {
            output.WriteLine(miss);
        }

        if (Environment.GetEnvironmentVariable("PROCTOR_ACCURACY_TABLE") is { Length: > 0 } path)
        {
            File.WriteAllText(path, table);
        }

        foreach (var entity in RecallGoalTypes)
        {
            Assert.True(evaluation.ByEntity[entity].Recall >= RecallGoal, $"{entity} recall {evaluation.ByEntity[entity].Recall:0.0000} < {RecallGoal}\n{table}");
        }

        foreach (var (entity, tally) in evaluation.ByEntity)
        {
            Assert.True(tally.Precision >= PrecisionGoal, $"{entity} precision {tally.Precision:0.0000} < {PrecisionGoal}\n{table}");
        }
    }

    /// <summary>
    /// The streaming path proves most strings clean from their raw bytes and never scans them, and caches
    /// member names; every sample must give it the same output and counts as the node and text paths,
    /// which scan every string.
    /// </summary>
    [Fact]
    public void Corpus_StreamingPathGivesTheSameOutput()
    {
        var differences = CorpusPaths.Differences(CorpusGenerator.Generate());
        Assert.True(differences.Count == 0, string.Join('\n', differences.Take(20)));
    }
}

/// <summary>Compares, sample by sample, what the streaming path and the node (or text) path give.</summary>
internal static class CorpusPaths
{
    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static List<string> Differences(IEnumerable<LabeledSample> samples)
    {
        var differences = new List<string>();
        foreach (var sample in samples)
        {
            var json = sample.IsJson ? sample.Text : System.Text.Json.JsonSerializer.Serialize(new { note = sample.Text }, Relaxed);
            var (streamed, streamedReport) = Masker.MaskStream(json);
            JsonNode expected;
            MaskingReport expectedReport;
            if (sample.IsJson)
            {
                var node = Masker.MaskNode(json);
                (expected, expectedReport) = (node.Node!, node.Report);
            }
            else
            {
                var text = Masker.Redacting.MaskText(sample.Text, MaskingScope.Gateway, MaskingAudience.Storage);
                (expected, expectedReport) = (new JsonObject { ["note"] = text.Text }, text.Report);
            }
            if (!JsonNode.DeepEquals(expected, JsonNode.Parse(streamed)))
            {
                differences.Add($"{sample.Kind} @ {sample.Context}: {json}\n  node   {expected.ToJsonString(Relaxed)}\n  stream {streamed}");
            }
            else if (!expectedReport.Masked.OrderBy(p => p.Key).SequenceEqual(streamedReport.Masked.OrderBy(p => p.Key)))
            {
                differences.Add($"{sample.Kind} @ {sample.Context}: counts differ for {json}");
            }
        }
        return differences;
    }
}
