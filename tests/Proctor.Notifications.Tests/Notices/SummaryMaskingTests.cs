using System.Text;
using System.Text.Json;
using Proctor.Masking;
using Proctor.Masking.Policy;
using Proctor.Masking.Tests.Corpus;
using Proctor.Notifications.Notices;
using Proctor.Notifications.Tests.Infrastructure;

namespace Proctor.Notifications.Tests.Notices;

/// <summary>
/// Defence in depth: a summary the caller failed to mask is masked before it leaves. Every identifier of the masking
/// corpus, planted in a summary, appears in no string of the body; hard negatives beside them pass unchanged (the
/// masking is the engine's, not a blanket redaction).
/// </summary>
public sealed class SummaryMaskingTests
{
    private static readonly IReadOnlyList<LabeledSample> Corpus = CorpusGenerator.Generate();

    [Fact]
    public void Render_EveryIdentifierKindOfTheCorpus_InTheSummary_IsInNoStringOfTheBody()
    {
        using var harness = new Harness(new ScriptedHandler(ScriptedHandler.Status(System.Net.HttpStatusCode.OK)));
        var positives = Corpus.Where(sample => sample.Entity is not null && !sample.IsJson).ToList();
        Assert.Equal(22, positives.Select(sample => sample.Kind).Distinct().Count());

        var leaks = new List<string>();
        foreach (var sample in positives)
        {
            var strings = Strings(harness.Notifier.Render(Harness.Notice(summary: sample.Text)).Body);
            if (strings.Any(text => text.Contains(sample.Value, StringComparison.Ordinal)))
            {
                leaks.Add($"{sample.Kind}: {sample.Text}");
            }
        }

        Assert.Empty(leaks);
    }

    [Fact]
    public void Render_HardNegativesOfTheCorpus_InTheSummary_PassUnchanged()
    {
        using var harness = new Harness(new ScriptedHandler(ScriptedHandler.Status(System.Net.HttpStatusCode.OK)));
        var negatives = Corpus.Where(sample => sample.Entity is null && !sample.IsJson).ToList();

        Assert.All(negatives, sample => Assert.Equal(sample.Text, Summary(harness.Notifier.Render(Harness.Notice(summary: sample.Text)).Body)));
    }

    [Fact]
    public void Render_SsnAndCardPlanted_LeaveOnlyTheirLastFour()
    {
        using var harness = new Harness(new ScriptedHandler(ScriptedHandler.Status(System.Net.HttpStatusCode.OK)));

        var body = harness.Notifier.Render(Harness.Notice(summary: "SSN 219-09-9999, card 4111 1111 1111 1111, amount 25000 USD")).Body;

        Assert.Equal("SSN ***-**-9999, card **** **** **** 1111, amount 25000 USD", Summary(body));
        Assert.DoesNotContain("219", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        Assert.DoesNotContain("4111 1111 1111", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LongSummary_IsMaskedBeforeItIsCut()
    {
        // The SSN straddles the cut: cut first, its first digits would no longer look like an SSN and would leave.
        using var harness = new Harness(new ScriptedHandler(ScriptedHandler.Status(System.Net.HttpStatusCode.OK)));
        var summary = new string('a', SummaryMasker.MaxLength - 12) + " SSN 219-09-9999 " + new string('b', 200);

        var sent = Summary(harness.Notifier.Render(Harness.Notice(summary: summary)).Body);

        Assert.Equal(SummaryMasker.MaxLength, sent.Length);
        Assert.EndsWith("…", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("219", sent, StringComparison.Ordinal);
        Assert.Contains(" SSN ***-", sent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MaskingFails_TheSummaryIsWithheld_AndLogged()
    {
        var failing = MaskingEngine.Create(new MaskingPolicy(), Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(), new JumpingTime());
        var log = new ListLogger();
        using var metrics = new MetricRecorder();
        var notifier = new Proctor.Notifications.Delivery.WebhookNotifier(
            new Configuration.Models.NotificationSettings { PublicUrl = new Uri(Harness.PublicUrl), Webhooks = [Harness.Hook("ops")] },
            failing, new HttpClient(new ScriptedHandler(ScriptedHandler.Status(System.Net.HttpStatusCode.OK))), new ObservedTime(), log, new Proctor.Notifications.Delivery.NotificationMetrics(metrics));

        // Long enough that masking reads its clock, which has jumped past the budget.
        var body = notifier.Render(Harness.Notice(summary: "SSN 219-09-9999 " + new string('x', 5000))).Body;

        Assert.Equal(SummaryMasker.Withheld, Summary(body));
        Assert.DoesNotContain("219", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, Assert.Single(log.With(3105)).Level);
    }

    private static string Summary(byte[] body) => JsonDocument.Parse(body).RootElement.GetProperty("proctor").GetProperty("summary").GetString()!;

    /// <summary>Every string and member name of the body, decoded (a value escaped in JSON would slip past a search of the raw bytes).</summary>
    private static List<string> Strings(byte[] body)
    {
        var strings = new List<string>();
        Walk(JsonDocument.Parse(body).RootElement, strings);
        return strings;
    }

    private static void Walk(JsonElement element, List<string> strings)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    strings.Add(property.Name);
                    Walk(property.Value, strings);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, strings);
                }

                break;
            case JsonValueKind.String:
                strings.Add(element.GetString()!);
                break;
            default:
                strings.Add(element.GetRawText());
                break;
        }
    }

    /// <summary>A clock on which an hour passes every time it is read.</summary>
    private sealed class JumpingTime : TimeProvider
    {
        private long _now;

        public override long GetTimestamp() => Interlocked.Add(ref _now, TimestampFrequency * 3600);
    }
}
