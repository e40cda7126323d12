using System.Text;
using System.Text.Json.Nodes;

namespace Proctor.Masking.Tests.Corpus;

/// <summary>
/// Masks corpus samples and scores them. A positive counts as found when its entity type is reported
/// and the value, as written, appears nowhere in the output (no decoded string, member name or number
/// of a JSON output holds it); any other entity reported on a sample is a false positive for that type.
/// </summary>
internal sealed class Evaluation
{
    public sealed class Tally
    {
        public int Positives, TruePositives, FalsePositives, Negatives, NegativesHit;
        public double Recall => Positives == 0 ? double.NaN : (double)TruePositives / Positives;
        public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);
    }

    public SortedDictionary<string, Tally> ByEntity { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, Tally> ByContext { get; } = new(StringComparer.Ordinal);
    public List<string> Misses { get; } = [];
    public int Positives { get; private set; }
    public int Negatives { get; private set; }
    public int NegativesHit { get; private set; }

    public static Evaluation Of(IEnumerable<LabeledSample> samples)
    {
        var evaluation = new Evaluation();
        foreach (var sample in samples)
        {
            evaluation.Add(sample);
        }

        return evaluation;
    }

    /// <summary>Masks a sample on the path its kind uses in the gateway: free text with <see cref="MaskingEngine.MaskText"/>, JSON with the node path.</summary>
    public static (string Output, IReadOnlyList<string> Visible, MaskingReport Report) Mask(LabeledSample sample)
    {
        if (!sample.IsJson)
        {
            var masked = Masker.Redacting.MaskText(sample.Text, MaskingScope.Gateway, MaskingAudience.Storage);
            return (masked.Text, [masked.Text], masked.Report);
        }
        var json = Masker.MaskNode(sample.Text);
        return (json.Node!.ToJsonString(), Visible(json.Node), json.Report);
    }

    /// <summary>Every string, member name and number of a JSON document, decoded.</summary>
    public static IReadOnlyList<string> Visible(JsonNode? node)
    {
        var found = new List<string>();
        void Walk(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject obj:
                    foreach (var (name, child) in obj) { found.Add(name); Walk(child); }
                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Walk(item);
                    }

                    break;
                case JsonValue value:
                    found.Add(value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString());
                    break;
            }
        }
        Walk(node);
        return found;
    }

    private void Add(LabeledSample sample)
    {
        var (_, visible, report) = Mask(sample);
        var entityTally = sample.Entity is { } e ? TallyOf(ByEntity, e) : null;
        var contextTally = TallyOf(ByContext, sample.Context);
        if (sample.Entity is { } expected)
        {
            Positives++;
            entityTally!.Positives++;
            contextTally.Positives++;
            if (report.Masked.GetValueOrDefault(expected) > 0 && !visible.Any(s => s.Contains(sample.Value, StringComparison.Ordinal)))
            {
                entityTally.TruePositives++;
                contextTally.TruePositives++;
            }
            else
            {
                Misses.Add($"miss {sample.Kind} @ {sample.Context}: {Show(sample.Text)}");
            }
        }
        else
        {
            Negatives++;
            contextTally.Negatives++;
            if (report.MaskedTotal > 0)
            {
                NegativesHit++;
                contextTally.NegativesHit++;
                Misses.Add($"hit {sample.Kind} @ {sample.Context}: {Show(sample.Text)} -> {string.Join(",", report.Masked.Keys)}");
            }
        }
        foreach (var (entity, count) in report.Masked)
        {
            if (entity != sample.Entity)
            {
                TallyOf(ByEntity, entity).FalsePositives += count;
                contextTally.FalsePositives += count;
            }
        }
    }

    private static Tally TallyOf(SortedDictionary<string, Tally> tallies, string key) =>
        tallies.TryGetValue(key, out var t) ? t : tallies[key] = new Tally();

    /// <summary>Invisible and look-alike characters spelled out, so a failure message can be read.</summary>
    private static string Show(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text)
        {
            sb.Append(c is > '\x7E' or < ' ' && c != '\n' ? $"\\u{(int)c:X4}" : c);
        }

        return sb.ToString();
    }

    public string EntityTable()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| entity | positives | true positives | false positives | recall | precision |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (entity, t) in ByEntity)
        {
            sb.AppendLine($"| {entity} | {t.Positives} | {t.TruePositives} | {t.FalsePositives} | {(t.Positives == 0 ? "–" : t.Recall.ToString("0.0000"))} | {t.Precision:0.0000} |");
        }

        var tp = ByEntity.Values.Sum(t => t.TruePositives);
        var fp = ByEntity.Values.Sum(t => t.FalsePositives);
        sb.AppendLine($"| **all** | {Positives} | {tp} | {fp} | {(double)tp / Positives:0.0000} | {(double)tp / (tp + fp):0.0000} |");
        return sb.ToString();
    }

    /// <summary>Tallies by context, merged by <paramref name="group"/> (null leaves a context out).</summary>
    public string ContextTable(string header, Func<string, string?> group)
    {
        var merged = new SortedDictionary<string, Tally>(StringComparer.Ordinal);
        foreach (var (context, t) in ByContext)
        {
            if (group(context) is not { } key)
            {
                continue;
            }

            var into = TallyOf(merged, key);
            into.Positives += t.Positives;
            into.TruePositives += t.TruePositives;
            into.FalsePositives += t.FalsePositives;
            into.Negatives += t.Negatives;
            into.NegativesHit += t.NegativesHit;
        }
        var sb = new StringBuilder();
        sb.AppendLine($"| {header} | positives | found | recall | false positives | precision | hard negatives | touched |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (key, t) in merged)
        {
            sb.AppendLine($"| {key} | {t.Positives} | {t.TruePositives} | {(t.Positives == 0 ? "–" : t.Recall.ToString("0.0000"))} | {t.FalsePositives} | {t.Precision:0.0000} | {t.Negatives} | {t.NegativesHit} |");
        }

        return sb.ToString();
    }
}
