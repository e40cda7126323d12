using System.Text;
using Xunit.Abstractions;

namespace Proctor.Masking.Tests.Corpus;

/// <summary>
/// Precision and recall per entity type on the generated corpus. Set PROCTOR_ACCURACY_TABLE to a file
/// path to also write the table as Markdown (docs/masking-accuracy.md quotes it).
/// </summary>
public class AccuracyTests(ITestOutputHelper output)
{
    private static readonly string[] RecallGoalTypes = ["card", "iban", "ssn", "aba_routing", "aws_access_key", "aws_secret_key", "jwt", "private_key"];
    private const double RecallGoal = 0.99;
    private const double PrecisionGoal = 0.98;

    private sealed class Tally
    {
        public int Positives, TruePositives, FalsePositives;
        public double Recall => Positives == 0 ? double.NaN : (double)TruePositives / Positives;
        public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);
    }

    [Fact]
    public void Corpus_MeetsRecallAndPrecisionGoals()
    {
        var samples = CorpusGenerator.Generate();
        var positives = samples.Count(s => s.Entity is not null);
        var negatives = samples.Count - positives;
        Assert.True(positives >= 5000 && negatives >= 5000, $"corpus too small: {positives} positives, {negatives} negatives");

        var tallies = new SortedDictionary<string, Tally>(StringComparer.Ordinal);
        Tally TallyOf(string entity) => tallies.TryGetValue(entity, out var t) ? t : tallies[entity] = new Tally();
        var misses = new List<string>();
        var negativeHits = 0;
        foreach (var sample in samples)
        {
            var (text, report) = Mask(sample);
            if (sample.Entity is { } expected)
            {
                var tally = TallyOf(expected);
                tally.Positives++;
                if (report.Masked.GetValueOrDefault(expected) > 0 && !text.Contains(sample.Value, StringComparison.Ordinal)) tally.TruePositives++;
                else misses.Add($"{sample.Kind}: {sample.Text}");
            }
            else if (report.MaskedTotal > 0)
            {
                negativeHits++;
                misses.Add($"negative {sample.Kind}: {sample.Text} -> {text}");
            }
            foreach (var (entity, count) in report.Masked)
                if (entity != sample.Entity) TallyOf(entity).FalsePositives += count;
        }

        var table = Table(tallies, positives, negatives, negativeHits);
        output.WriteLine(table);
        foreach (var miss in misses.Take(40)) output.WriteLine(miss);
        if (Environment.GetEnvironmentVariable("PROCTOR_ACCURACY_TABLE") is { Length: > 0 } path) File.WriteAllText(path, table);

        foreach (var entity in RecallGoalTypes)
            Assert.True(tallies[entity].Recall >= RecallGoal, $"{entity} recall {tallies[entity].Recall:0.0000} < {RecallGoal}\n{table}");
        var tp = tallies.Values.Sum(t => t.TruePositives);
        var fp = tallies.Values.Sum(t => t.FalsePositives);
        Assert.True((double)tp / (tp + fp) >= PrecisionGoal, $"overall precision below {PrecisionGoal}\n{table}");
        foreach (var (entity, tally) in tallies)
            Assert.True(tally.Precision >= PrecisionGoal, $"{entity} precision {tally.Precision:0.0000} < {PrecisionGoal}\n{table}");
    }

    /// <summary>
    /// The streaming path proves most strings clean from their raw bytes and never scans them; every
    /// sample must give it the same findings as the node and text paths, which scan every string.
    /// </summary>
    [Fact]
    public void Corpus_StreamingPathFindsTheSame()
    {
        var relaxed = new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var differences = new List<string>();
        foreach (var sample in CorpusGenerator.Generate())
        {
            var json = sample.IsJson ? sample.Text : System.Text.Json.JsonSerializer.Serialize(new { note = sample.Text }, relaxed);
            var (_, expected) = Mask(sample);
            var (_, streamed) = Masker.MaskStream(json);
            if (!expected.Masked.OrderBy(p => p.Key).SequenceEqual(streamed.Masked.OrderBy(p => p.Key)))
                differences.Add($"{sample.Kind}: {json}");
        }
        Assert.True(differences.Count == 0, string.Join('\n', differences.Take(20)));
    }

    private static (string Text, MaskingReport Report) Mask(LabeledSample sample)
    {
        if (!sample.IsJson)
        {
            var masked = Masker.Redacting.MaskText(sample.Text, MaskingScope.Gateway, MaskingAudience.Storage);
            return (masked.Text, masked.Report);
        }
        var json = Masker.MaskNode(sample.Text);
        return (json.Node!.ToJsonString(), json.Report);
    }

    private static string Table(SortedDictionary<string, Tally> tallies, int positives, int negatives, int negativeHits)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Corpus: seed {CorpusGenerator.Seed}, {positives} positives, {negatives} hard negatives (half free text, half JSON).");
        sb.AppendLine($"Hard negatives with any finding: {negativeHits} of {negatives} ({(double)negativeHits / negatives:P2}).");
        sb.AppendLine();
        sb.AppendLine("| entity | positives | true positives | false positives | recall | precision |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (entity, t) in tallies)
            sb.AppendLine($"| {entity} | {t.Positives} | {t.TruePositives} | {t.FalsePositives} | {(t.Positives == 0 ? "–" : t.Recall.ToString("0.0000"))} | {t.Precision:0.0000} |");
        var tp = tallies.Values.Sum(t => t.TruePositives);
        var fp = tallies.Values.Sum(t => t.FalsePositives);
        sb.AppendLine($"| **all** | {positives} | {tp} | {fp} | {(double)tp / positives:0.0000} | {(double)tp / (tp + fp):0.0000} |");
        return sb.ToString();
    }
}
