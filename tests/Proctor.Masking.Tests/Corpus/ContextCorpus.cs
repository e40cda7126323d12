using System.Text;
using System.Text.Json;
using Proctor.Masking.Detection;

namespace Proctor.Masking.Tests.Corpus;

/// <summary>
/// Every identifier type in every ordinary place it turns up: glued to each kind of punctuation, in a
/// URL path segment or query value, joined to a word by <c>_ - .</c> or in a file name, as a JSON
/// member name, as a JSON number, written with each kind of Unicode look-alike, and look-alikes
/// combined with the other places. Hard negatives (Luhn-invalid cards, UUIDs, hex ids, timestamps,
/// dates without birth context, versions, order ids, phone-like numbers, …) go through the same places.
/// Generated from a fixed seed; each sample names its context so results can be read per context.
/// </summary>
internal static class ContextCorpus
{
    public const int Seed = 20261201;
    private const int PerPair = 6;
    // Member names and numbers are JSON-only, so they get as many samples as a text place gets in text and JSON together, and more.
    private const int PerJsonPlace = 24;

    /// <summary>How an identifier can be written: the plain value, and (when it has one) a form with separators.</summary>
    private sealed record Shape(string Plain, string? Dashed, string? Spaced);

    private delegate Shape MakeValue(Values v);

    /// <summary>An entity, the words that name it (context where it needs some), and the field names that hold it.</summary>
    private sealed record Kind(string Entity, string Name, string[] Labels, MakeValue Make, bool Numeric, bool LookAlikes);

    private static readonly Kind[] Identifiers =
    [
        new(EntityTypes.Card, "card", ["ref", "pay", "card", "pan", "cust"], v => v.Card(true) is var c ? new(c, Values.GroupCard(c, "-"), Values.GroupCard(c, " ")) : null!, true, true),
        new(EntityTypes.Ssn, "ssn/dashed", ["id", "cust", "ssn", "member"], v => Values.Nine(v.Ssn(), "-") is var s ? new(s, s, s.Replace('-', ' ')) : null!, false, true),
        new(EntityTypes.Ssn, "ssn/bare", ["ssn", "SSN", "social"], v => new(Values.Nine(v.Ssn(), "") is var s && s[0] != '0' ? s : "5" + s[1..], null, null), true, true),
        new(EntityTypes.Itin, "itin", ["itin", "taxpayer"], v => Values.Nine(v.Itin(), "-") is var s ? new(s.Replace("-", ""), s, s.Replace('-', ' ')) : null!, true, true),
        new(EntityTypes.Ein, "ein", ["ein", "EIN", "fein", "employer"], v => v.Ein() is var s ? new(s, s, null) : null!, false, true),
        new(EntityTypes.AbaRouting, "aba", ["routing", "aba", "rtn", "ABA"], v => new(NonZeroFirst(v, () => v.Aba(true)), null, null), true, true),
        new(EntityTypes.BankAccount, "account", ["account", "acct", "accounts", "dda"], v => new(NonZeroFirst(v, () => v.Digits(v.Random.Next(8, 18))), null, null), true, true),
        new(EntityTypes.Iban, "iban", ["iban", "ref", "pay"], v => v.Iban(true) is var s ? new(s, null, Values.GroupIban(s)) : null!, false, true),
        new(EntityTypes.Phone, "phone/dashed", ["contact", "cb", "line", "tel"], v => PhoneDigits(v) is var p ? new($"{p[..3]}-{p[3..6]}-{p[6..]}", $"{p[..3]}-{p[3..6]}-{p[6..]}", $"{p[..3]} {p[3..6]} {p[6..]}") : null!, false, true),
        new(EntityTypes.Phone, "phone/bare", ["tel", "phone", "mobile", "fax"], v => new(PhoneDigits(v), null, null), true, true),
        new(EntityTypes.Email, "email", ["mail", "contact", "to"], v => new(v.Email(), null, null), false, false),
        new(EntityTypes.IpAddress, "ip", ["host", "ip", "peer", "from"], v => new(v.Ipv4(), null, null), false, true),
        new(EntityTypes.DateOfBirth, "dob", ["dob", "birth", "born", "birthdate"], v => v.Date(true) is var d ? new(d, d, null) : null!, false, true),
        new(EntityTypes.DateOfBirth, "dob/with-time", ["dob", "birth", "birthdate"], v => new($"{v.Date(true)}T00:00:00Z", null, null), false, true),
        new(EntityTypes.AwsAccessKey, "aws-key-id", ["key", "aws", "id"], v => new(v.AwsKeyId(), null, null), false, false),
        new(EntityTypes.Jwt, "jwt", ["token", "jwt", "session"], v => new(v.Jwt(), null, null), false, false),
        new(EntityTypes.GitHubToken, "github", ["token", "gh", "pat"], v => new(Credentials.GitHubToken(v.Pick("ghp_", "gho_", "ghs_"), v.Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 30)), null, null), false, false),
        new(EntityTypes.SlackToken, "slack", ["slack", "bot", "hook"], v => new(v.SlackToken(), null, null), false, false),
    ];

    private static readonly Kind[] HardNegatives =
    [
        new("", "card-luhn-invalid", ["ref", "pay", "card", "cust"], v => v.Card(false) is var c ? new(c, Values.GroupCard(c, "-"), Values.GroupCard(c, " ")) : null!, true, true),
        new("", "uuid", ["request", "id", "trace", "cust"], v => new(v.Uuid(), null, null), false, true),
        new("", "hex-id", ["commit", "sha", "etag", "hash"], v => new(v.Hex(v.Pick(12, 24, 40, 64)), null, null), false, true),
        new("", "iso-timestamp", ["created", "ts", "at", "updated"], v => new($"{v.Date(true)}T{v.Random.Next(24):00}:{v.Random.Next(60):00}:{v.Random.Next(60):00}Z", null, null), false, true),
        new("", "iso-date", ["invoice", "due", "posted", "date"], v => v.Date(true) is var d ? new(d, d, null) : null!, false, true),
        new("", "version", ["version", "release", "build", "tag"], v => new(v.Pick($"{v.Random.Next(1, 12)}.{v.Random.Next(10)}.{v.Random.Next(10)}.{v.Random.Next(300)}", $"{v.Random.Next(20)}.{v.Random.Next(30)}.{v.Random.Next(100)}"), null, null), false, true),
        new("", "semver", ["pkg", "lib", "app", "sdk"], v => new($"{v.Random.Next(20)}.{v.Random.Next(30)}.{v.Random.Next(100)}", null, null), false, true),
        new("", "order-id", ["order", "ord", "po", "inv"], v => new($"ORD-{v.Random.Next(2019, 2027)}-{v.Digits(6)}", $"{v.Random.Next(2019, 2027)}-{v.Digits(6)}", null), false, true),
        new("", "order-number", ["order", "orderNo", "invoice"], v => new(NonZeroFirst(v, () => v.Digits(v.Random.Next(8, 13))), null, null), true, true),
        new("", "epoch-ms", ["ts", "time", "value"], v => new((1_600_000_000_000L + v.Random.NextInt64(200_000_000_000L)).ToString(), null, null), true, true),
        new("", "phone-like", ["ext", "line", "desk"], v => v.Pick($"555-{v.Digits(4)}", $"1{v.Digits(2)}-{v.Digits(3)}-{v.Digits(4)}") is var p ? new(p, p, null) : null!, false, true),
        new("", "ssn-invalid", ["id", "ref", "ssn"], v => v.Pick($"000-{v.Random.Next(10, 99)}-{v.Random.Next(1000, 9999)}", $"666-{v.Random.Next(10, 99)}-{v.Random.Next(1000, 9999)}",
            $"{v.Random.Next(100, 600)}-00-{v.Random.Next(1000, 9999)}", $"{v.Random.Next(100, 600)}-{v.Random.Next(10, 99)}-0000") is var s ? new(s, s, null) : null!, false, true),
        new("", "aba-bad-checksum", ["routing", "aba"], v => new(NonZeroFirst(v, () => v.Aba(false)), null, null), true, true),
        new("", "iban-bad-check", ["iban", "ref"], v => new(v.Iban(false), null, null), false, true),
        new("", "nine-digits-no-context", ["ticket", "case", "ref"], v => new(NonZeroFirst(v, () => v.Digits(9)), null, null), true, true),
    ];

    /// <summary>A place in text: how a label and a value are written there.</summary>
    private sealed record Place(string Name, Func<string, string, string> Write);

    private static readonly Place[] TextPlaces =
    [
        new("glued/colon", (l, x) => $"{l}:{x}"),
        new("glued/double-colon", (l, x) => $"{l}::{x}"),
        new("glued/equals", (l, x) => $"{l}={x}"),
        new("glued/hash", (l, x) => $"{l}#{x}"),
        new("glued/parentheses", (l, x) => $"{l}({x})"),
        new("glued/brackets", (l, x) => $"{l}[{x}]"),
        new("glued/double-quotes", (l, x) => $"{l}:\"{x}\""),
        new("glued/single-quotes", (l, x) => $"{l}='{x}'"),
        new("glued/slash", (l, x) => $"{l}/{x}"),
        new("glued/pipe", (l, x) => $"{l}|{x}|"),
        new("glued/semicolon", (l, x) => $"{l};{x};"),
        new("glued/comma", (l, x) => $"{l},{x},"),
        new("glued/at-sign", (l, x) => $"{l}@{x}"),
        new("glued/percent-escape", (l, x) => $"{l}%3D{x}%26"),
        new("url/path-segment", (l, x) => $"GET https://api.bank.example/v1/{l}/{x}/details"),
        new("url/query-value", (l, x) => $"https://api.bank.example/v1/search?{l}={x}&page=2"),
        new("url/query-later-value", (l, x) => $"https://api.bank.example/v1/search?page=2&{l}={x}"),
        new("joined/underscore", (l, x) => $"{l}_{x}"),
        new("joined/hyphen", (l, x) => $"{l}-{x}"),
        new("joined/dot", (l, x) => $"{l}.{x}"),
        new("joined/file-name", (l, x) => $"export {l}_{x}.csv"),
        new("url/joined-path-segment", (l, x) => $"GET https://api.bank.example/v1/customers/{l}-{x}/details"),
        new("url/file-name", (l, x) => $"https://files.bank.example/exports/{l}_{x}.pdf?sig=abc"),
    ];

    /// <summary>A look-alike rewrite of a value; null when the value has nothing it applies to.</summary>
    private sealed record LookAlike(string Name, Func<Shape, Values, string?> Write);

    private static readonly LookAlike[] LookAlikeVariants =
    [
        new("fullwidth-digits", (s, _) => Digits(s.Dashed ?? s.Plain, 0xFF10)),
        new("arabic-indic-digits", (s, _) => Digits(s.Dashed ?? s.Plain, 0x0660)),
        new("devanagari-digits", (s, _) => Digits(s.Dashed ?? s.Plain, 0x0966)),
        new("math-bold-digits", (s, _) => Digits(s.Dashed ?? s.Plain, 0x1D7CE)),
        new("en-dash", (s, _) => s.Dashed?.Replace("-", "\u2013")),
        new("em-dash", (s, _) => s.Dashed?.Replace("-", "\u2014")),
        new("minus-sign", (s, _) => s.Dashed?.Replace("-", "\u2212")),
        new("non-breaking-hyphen", (s, _) => s.Dashed?.Replace("-", "\u2011")),
        new("no-break-space", (s, _) => s.Spaced?.Replace(" ", "\u00A0")),
        new("narrow-no-break-space", (s, _) => s.Spaced?.Replace(" ", "\u202F")),
        new("thin-space", (s, _) => s.Spaced?.Replace(" ", "\u2009")),
        new("zero-width-space", (s, v) => Insert(s.Dashed ?? s.Plain, "\u200B", v)),
        new("zero-width-non-joiner", (s, v) => Insert(s.Dashed ?? s.Plain, "\u200C", v)),
        new("zero-width-joiner", (s, v) => Insert(s.Dashed ?? s.Plain, "\u200D", v)),
        new("word-joiner", (s, v) => Insert(s.Dashed ?? s.Plain, "\u2060", v)),
        new("byte-order-mark", (s, v) => Insert(s.Dashed ?? s.Plain, "\uFEFF", v)),
        new("soft-hyphen", (s, v) => Insert(s.Dashed ?? s.Plain, "\u00AD", v)),
    ];

    /// <summary>Places look-alikes are combined with.</summary>
    private static readonly string[] CombinedPlaces = ["glued/colon", "url/path-segment", "url/query-value", "joined/underscore"];

    public static IReadOnlyList<LabeledSample> Generate()
    {
        var v = new Values(new Random(Seed));
        var samples = new List<LabeledSample>();
        foreach (var kind in Identifiers.Concat(HardNegatives))
        {
            var entity = kind.Entity.Length == 0 ? null : kind.Entity;
            foreach (var place in TextPlaces)
            {
                for (var i = 0; i < PerPair; i++)
                {
                    var (label, value) = (v.Pick(kind.Labels), Shown(kind, v));
                    samples.Add(new LabeledSample(place.Write(label, value), false, entity, value, kind.Name, place.Name));
                    (label, value) = (v.Pick(kind.Labels), Shown(kind, v));
                    samples.Add(new LabeledSample(Document("note", place.Write(label, value), v), true, entity, value, kind.Name, place.Name));
                }
            }

            for (var i = 0; i < PerJsonPlace; i++)
            {
                var (label, value) = (v.Pick(kind.Labels), Shown(kind, v));
                samples.Add(new LabeledSample(KeyDocument(label, value, v), true, entity, value, kind.Name, "json/member-name"));
                if (kind.Numeric)
                {
                    // A card needs no telling name; the other numbers do (their first label), as they do in text.
                    var plain = kind.Make(v).Plain;
                    var field = kind.Entity == EntityTypes.Card || kind.Name == "card-luhn-invalid" ? v.Pick("value", "amount_id", "n") : kind.Labels[0];
                    samples.Add(new LabeledSample(Document(field, long.Parse(plain), v), true, entity, plain, kind.Name, "json/number"));
                }
            }

            if (!kind.LookAlikes)
            {
                continue;
            }

            foreach (var lookAlike in LookAlikeVariants)
            {
                for (var i = 0; i < PerPair; i++)
                {
                    if (lookAlike.Write(kind.Make(v), v) is not { } shown)
                    {
                        break;
                    }

                    var label = v.Pick(kind.Labels);
                    samples.Add(new LabeledSample($"{label} {shown} on file", false, entity, shown, kind.Name, $"look-alike/{lookAlike.Name}"));
                    var place = TextPlaces.First(p => p.Name == CombinedPlaces[i % CombinedPlaces.Length]);
                    samples.Add(new LabeledSample(place.Write(label, shown), false, entity, shown, kind.Name, $"look-alike+{place.Name.Split('/')[0]}/{lookAlike.Name}"));
                    samples.Add(new LabeledSample(KeyDocument(label, shown, v), true, entity, shown, kind.Name, $"look-alike+json/{lookAlike.Name}"));
                }
            }
        }
        return samples;
    }

    /// <summary>The value as a person would write it: plain, or with its separators when it has them.</summary>
    private static string Shown(Kind kind, Values v)
    {
        var shape = kind.Make(v);
        return v.Random.Next(2) == 0 && shape.Dashed is not null ? shape.Dashed : shape.Plain;
    }

    private static string PhoneDigits(Values v)
    {
        var area = $"{v.Random.Next(2, 10)}{v.Digits(2)}";
        if (area[1] == '1' && area[2] == '1')
        {
            area = area[..2] + "5";
        }

        return $"{area}{v.Random.Next(2, 10)}{v.Digits(2)}{v.Digits(4)}";
    }

    private static string NonZeroFirst(Values v, Func<string> make)
    {
        string value;
        do
        {
            value = make();
        }
        while (value[0] == '0');
        return value;
    }

    /// <summary>Rewrites every ASCII digit as the digit of another script starting at <paramref name="zero"/>.</summary>
    private static string Digits(string value, int zero)
    {
        var sb = new StringBuilder();
        foreach (var c in value)
        {
            sb.Append(char.IsAsciiDigit(c) ? char.ConvertFromUtf32(zero + c - '0') : c.ToString());
        }

        return sb.ToString();
    }

    /// <summary>Puts an invisible character between two digits of the value.</summary>
    private static string? Insert(string value, string invisible, Values v)
    {
        var between = Enumerable.Range(1, value.Length - 1).Where(i => char.IsAsciiDigit(value[i - 1]) && char.IsAsciiDigit(value[i])).ToArray();
        if (between.Length == 0)
        {
            return null;
        }

        var at = v.Pick(between);
        return value[..at] + invisible + value[at..];
    }

    private static string Document(string field, object value, Values v) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["jsonrpc"] = "2.0",
        ["id"] = v.Random.Next(1, 1000),
        ["result"] = new Dictionary<string, object>
        {
            ["structuredContent"] = new Dictionary<string, object> { ["record"] = new Dictionary<string, object> { [field] = value, ["status"] = v.Pick("active", "closed") } },
            ["isError"] = false,
        },
    }, Relaxed);

    /// <summary>The value as a member name, in an object held by a field named with the label (<c>"ssn": {"514241098": {…}}</c>).</summary>
    private static string KeyDocument(string label, string value, Values v) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["jsonrpc"] = "2.0",
        ["id"] = v.Random.Next(1, 1000),
        ["result"] = new Dictionary<string, object>
        {
            ["structuredContent"] = new Dictionary<string, object> { [label] = new Dictionary<string, object> { [value] = new { status = v.Pick("active", "closed") }, ["other"] = 1 } },
            ["isError"] = false,
        },
    }, Relaxed);

    /// <summary>Look-alikes are written as themselves, as upstreams send them; escaping them would hide nothing from the engine but hide them from the leak check.</summary>
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
