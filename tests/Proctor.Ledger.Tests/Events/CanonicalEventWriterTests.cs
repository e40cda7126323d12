using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Proctor.Ledger.Canonical;
using Proctor.Ledger.Events;

namespace Proctor.Ledger.Tests.Events;

/// <summary>
/// The one-pass writer against the path it replaced (serialize with snake_case names, parse, canonicalize): leaf
/// hashes of events already in ledgers depend on every byte, so the two MUST agree on every event.
/// </summary>
public class CanonicalEventWriterTests
{
    private static readonly JsonTypeInfo<LedgerEvent> Serialize = (JsonTypeInfo<LedgerEvent>)new JsonSerializerOptions(EventJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }.GetTypeInfo(typeof(LedgerEvent));

    private static readonly string[] Texts =
    [
        "", "plain", "tools/call", "Zoë+admin@bank.example", "a\"quote", "back\\slash", "tab\there", "line\nbreak", "\u0001\u001f",
        "<script>&'", "😀 emoji", "ÿ\u00e9\u0100", "\u2028\u2029", "日本語", "[SSN:7f3a9c]", "\u007f", "/slash/",
    ];

    private static readonly double[] Doubles = [0, -0.0, 1, 1.25, 0.1, 1e-7, 123456.789, 1e21, 1e15, 999999999999999, 1.7976931348623157e308, 5e-324, -42.5, 2.5e-5, 0.000001];

    private static readonly long[] Longs = [0, -1, 12, 1_024, 999_999_999_999_999, 1_000_000_000_000_000, long.MaxValue, long.MinValue];

    [Fact]
    public void Write_EveryGeneratedEvent_MatchesSerializeThenCanonicalize()
    {
        var random = new Random(8785);
        for (var n = 0; n < 3_000; n++)
        {
            var ledgerEvent = Generate(random, n);
            var expected = JsonCanonicalizer.Canonicalize(JsonSerializer.SerializeToUtf8Bytes(ledgerEvent, Serialize));

            var actual = EventJson.Canonical(ledgerEvent);

            Assert.True(expected.AsSpan().SequenceEqual(actual), $"event {n}:\nexpected {Encoding.UTF8.GetString(expected)}\nactual   {Encoding.UTF8.GetString(actual)}");
        }
    }

    [Fact]
    public void Write_MinimalEvent_HasOnlyTheRequiredMembers()
    {
        var minimal = new LedgerEvent { Id = "x", Kind = "k", Time = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 6, TimeSpan.FromHours(2)) };

        Assert.Equal("""{"id":"x","kind":"k","time":"2026-01-02T01:04:05.006Z"}""", Encoding.UTF8.GetString(EventJson.Canonical(minimal)));
    }

    [Fact]
    public void Write_TimesAcrossTheWholeCalendar_MatchTheConvertersPattern()
    {
        // The writer spells times through the round-trip format; the stored spelling is the converter's pattern.
        var random = new Random(3339);
        var edges = new[]
        {
            DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks, new DateTime(999, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_999).Ticks,
            new DateTime(2024, 2, 29, 0, 0, 0, DateTimeKind.Utc).Ticks, new DateTime(2026, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc).AddTicks(9_999).Ticks,
            new DateTime(2026, 1, 1, 0, 0, 0, 1, DateTimeKind.Utc).Ticks - 1,
        };
        var ticks = edges.Concat(Enumerable.Range(0, 5_000).Select(_ => random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks + 1)));
        foreach (var tick in ticks)
        {
            var utc = new DateTime(tick, DateTimeKind.Utc);
            var nearTheEnds = tick < TimeSpan.TicksPerDay || tick > DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay; // no local time there
            var offset = nearTheEnds ? TimeSpan.Zero : TimeSpan.FromHours(random.Next(-14, 15));
            var time = new DateTimeOffset(utc).ToOffset(offset);
            var expected = $$"""{"id":"x","kind":"k","time":"{{utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture)}}"}""";

            Assert.Equal(expected, Encoding.UTF8.GetString(EventJson.Canonical(new LedgerEvent { Id = "x", Kind = "k", Time = time })));
        }
    }

    private static LedgerEvent Generate(Random random, int n) => new()
    {
        Id = Pick(random),
        Kind = Pick(random),
        Time = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 3650)).ToOffset(TimeSpan.FromMinutes(random.Next(-12, 13) * 60)),
        CallId = Maybe(random, () => Pick(random)),
        Actor = Maybe(random, () => new EventActor
        {
            Subject = Pick(random),
            Issuer = Maybe(random, () => Pick(random)),
            Groups = Maybe(random, () => (IReadOnlyList<string>)[.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => Pick(random))]),
            AuthMethod = Maybe(random, () => Pick(random)),
            Amr = Maybe(random, () => (IReadOnlyList<string>)[Pick(random), Pick(random)]),
            Acr = Maybe(random, () => Pick(random)),
            AuthTime = Maybe(random, () => (DateTimeOffset?)DateTimeOffset.UnixEpoch.AddMilliseconds(random.NextInt64(0, 4_000_000_000_000))),
            SourceAddress = Maybe(random, () => Pick(random)),
            ClientInfo = Maybe(random, () => (JsonElement?)Json(random, 2)),
        }),
        Location = Maybe(random, () => new EventLocation
        {
            Server = Maybe(random, () => Pick(random)),
            Transport = Maybe(random, () => Pick(random)),
            ProtocolVersion = Maybe(random, () => Pick(random)),
            GatewayNode = Maybe(random, () => Pick(random)),
            SessionId = Maybe(random, () => Pick(random)),
        }),
        Action = Maybe(random, () => new EventAction
        {
            Method = Maybe(random, () => Pick(random)),
            Name = Maybe(random, () => Pick(random)),
            Arguments = Maybe(random, () => (JsonElement?)Json(random, 3)),
        }),
        Outcome = Maybe(random, () => new EventOutcome
        {
            Status = Pick(random),
            Summary = Maybe(random, () => Pick(random)),
            ErrorCode = Maybe(random, () => (int?)random.Next(int.MinValue, int.MaxValue)),
            ErrorMessage = Maybe(random, () => Pick(random)),
        }),
        Decision = Maybe(random, () => new EventDecision
        {
            Effect = Pick(random),
            Rule = Maybe(random, () => Pick(random)),
            PolicyHash = Maybe(random, () => Pick(random)),
            ReasonCode = Maybe(random, () => Pick(random)),
        }),
        Traffic = Maybe(random, () => new EventTraffic
        {
            LatencyMs = Maybe(random, () => (double?)(random.Next(2) == 0 ? Doubles[random.Next(Doubles.Length)] : Math.Round(random.NextDouble() * 1000, random.Next(0, 6)))),
            BytesIn = Maybe(random, () => (long?)Longs[random.Next(Longs.Length)]),
            BytesOut = Maybe(random, () => (long?)random.NextInt64()),
            ItemsReturned = Maybe(random, () => (int?)random.Next()),
            MaskedEntities = Maybe(random, () => (IReadOnlyDictionary<string, int>)Enumerable.Range(0, random.Next(0, 5)).Select(_ => Pick(random)).Distinct().ToDictionary(k => k, _ => random.Next())),
        }),
        Details = n % 7 == 0 ? JsonElement.Parse("null") : Maybe(random, () => (JsonElement?)Json(random, 3)),
    };

    private static string Pick(Random random) => Texts[random.Next(Texts.Length)];

    private static T? Maybe<T>(Random random, Func<T> value) => random.Next(3) == 0 ? default : value();

    /// <summary>Arbitrary JSON with unsorted, escaped and non-ASCII names, every number spelling and nesting.</summary>
    private static JsonElement Json(Random random, int depth)
    {
        var text = new StringBuilder();
        WriteJson(random, depth, text);
        return JsonElement.Parse(text.ToString());
    }

    private static void WriteJson(Random random, int depth, StringBuilder text)
    {
        switch (depth == 0 ? random.Next(4) : random.Next(6))
        {
            case 0: text.Append(JsonSerializer.Serialize(Pick(random))); break;
            case 1: text.Append(random.Next(2) == 0 ? Doubles[random.Next(Doubles.Length)].ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "1.50E+3"); break;
            case 2: text.Append(random.Next(3) switch { 0 => "true", 1 => "false", _ => "null" }); break;
            case 3: text.Append(@"""\u00e9\/\u0041"""); break;
            case 4:
                text.Append('[');
                for (var i = random.Next(0, 4); i > 0; i--)
                {
                    WriteJson(random, depth - 1, text);
                    text.Append(i > 1 ? "," : "");
                }
                text.Append(']');
                break;
            default:
                text.Append('{');
                var names = Enumerable.Range(0, random.Next(0, 5)).Select(_ => Pick(random)).Distinct().ToList();
                for (var i = 0; i < names.Count; i++)
                {
                    text.Append(JsonSerializer.Serialize(names[i])).Append(':');
                    WriteJson(random, depth - 1, text);
                    text.Append(i < names.Count - 1 ? "," : "");
                }
                text.Append('}');
                break;
        }
    }
}
