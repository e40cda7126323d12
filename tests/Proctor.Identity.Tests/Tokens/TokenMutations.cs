using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Proctor.Identity.Tests.Tokens;

/// <summary>
/// Every header parameter and claim of a good access token, in every bad (and every unusual but good) state:
/// missing, repeated, null, each JSON type, huge, negative, fractional, out of range, NaN-like strings, empty,
/// blank, non-ASCII, control characters, unpaired surrogates, long. Each case says what the gateway must do,
/// from the rules written out in <see cref="Expect"/> (RFC 7515, 7519, 9068 and the gateway's allow-lists),
/// independently of how the gateway checks them. Tokens are built as raw JSON text, so that repeated
/// members and unpaired surrogates, which no JSON library writes, can be sent; the caller signs them with a
/// key the gateway trusts, so a refusal can only come from the content.
/// Shared (linked) by Proctor.Identity.Tests and Proctor.FunctionalTests.
/// </summary>
internal static class TokenMutations
{
    /// <summary>The last second DateTimeOffset holds (RFC 7519 NumericDate, as the gateway bounds it).</summary>
    private const double MaxNumericDate = 253_402_300_799;

    /// <summary>Raw JSON values, each a state a member can be in.</summary>
    public static readonly (string Name, string Raw)[] States =
    [
        ("null", "null"),
        ("true", "true"),
        ("zero", "0"),
        ("negative", "-1"),
        ("fraction", "1.5"),
        ("far future 1e10", "1e10"),
        ("huge 1e20", "1e20"),
        ("beyond double", "1e400"),
        ("empty string", "\"\""),
        ("blank string", "\"   \""),
        ("string NaN", "\"NaN\""),
        ("string number", "\"1700000000\""),
        ("plain string", "\"mallory\""),
        ("non-ASCII string", "\"m\u00f6ll\u00f8ry-\u4e2d\u6587\""),
        ("control character", "\"a\\u0000b\""),
        ("newline", "\"line\\nforged\""),
        ("escape sequence", "\"\\u001b[31mcrimson\""),
        ("unpaired surrogate", "\"\\ud800\""),
        ("long string", "\"" + new string('a', 3000) + "\""),
        ("empty array", "[]"),
        ("array of strings", "[\"a\",\"b\"]"),
        ("array with a number", "[\"a\",1]"),
        ("nested array", "[[\"a\"]]"),
        ("object", "{\"a\":\"b\"}"),
    ];

    public sealed record Case(string Name, string Header, string Payload, string? RefusedFor)
    {
        public bool Accepted => RefusedFor is null;

        public override string ToString() => Name;
    }

    /// <param name="header">The good token's header members, in order (raw JSON values).</param>
    /// <param name="payload">The good token's claims, in order (raw JSON values).</param>
    public static IEnumerable<Case> All(IReadOnlyList<(string Name, string Raw)> header, IReadOnlyList<(string Name, string Raw)> payload, Expect expect)
    {
        var extraHeader = header.Any(m => m.Name == "crit") ? header : [.. header, ("crit", "")];
        foreach (var (part, members, other) in new[] { ("header", extraHeader, payload), ("payload", payload, header) })
        {
            foreach (var (name, raw) in members)
            {
                var present = raw.Length > 0;
                if (present)
                {
                    yield return Build(part, members, other, $"{part}.{name} missing", name, null, expect.Missing(name));
                    yield return Build(part, members, other, $"{part}.{name} repeated", name, raw + $",\"{name}\":" + raw, AuthenticationFailures.MalformedToken);
                }

                foreach (var (state, value) in States)
                {
                    yield return Build(part, members, other, $"{part}.{name} = {state}", name, value, expect.Value(name, value));
                }
            }
        }

        Case Build(string part, IReadOnlyList<(string Name, string Raw)> members, IReadOnlyList<(string Name, string Raw)> other, string caseName, string name, string? replacement, string? refusedFor)
        {
            var text = Json(members, name, replacement);
            var otherText = Json(other, null, null);
            return part == "header" ? new Case(caseName, text, otherText, refusedFor) : new Case(caseName, otherText, text, refusedFor);
        }
    }

    /// <summary>The members as a JSON object text; <paramref name="name"/> gets <paramref name="replacement"/> (null: left out).</summary>
    private static string Json(IReadOnlyList<(string Name, string Raw)> members, string? name, string? replacement)
    {
        var text = new StringBuilder("{");
        foreach (var (member, raw) in members)
        {
            var value = member == name ? replacement : raw;
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            text.Append(text.Length > 1 ? "," : "").Append('"').Append(member).Append("\":").Append(value);
        }

        return text.Append('}').ToString();
    }

    /// <summary>What the gateway must do with each member in each state: null to accept, else the refusal reason.</summary>
    internal sealed class Expect(string issuer, string audience, string algorithm, string groupsClaim, DateTimeOffset now, TimeSpan skew)
    {
        public string? Missing(string name) => name switch
        {
            "alg" or "iss" => AuthenticationFailures.MalformedToken,
            "sub" => AuthenticationFailures.NoSubject,
            "exp" => AuthenticationFailures.NoExpiry,
            "aud" => AuthenticationFailures.WrongAudience,
            _ => null,
        };

        public string? Value(string name, string raw)
        {
            // Not text or not a double, whatever the member: the whole token must be I-JSON (RFC 7493).
            if (raw == "1e400" || raw.Contains("\\ud800", StringComparison.Ordinal))
            {
                return Malformed;
            }

            using var document = JsonDocument.Parse(raw);
            var value = document.RootElement;
            return name switch
            {
                "alg" => Text(value) is not { Length: > 0 } alg ? Malformed : alg == algorithm ? null : AuthenticationFailures.AlgorithmNotAllowed,
                "crit" => AuthenticationFailures.UnsupportedCriticalHeader,
                "typ" or "kid" or "cty" => Text(value) is null ? Malformed : null,
                "iss" => Printable(value) is not { Length: > 0 } iss ? Malformed : iss == issuer ? null : AuthenticationFailures.UntrustedIssuer,
                "sub" => value.ValueKind == JsonValueKind.Null || (Text(value) is { } blank && string.IsNullOrWhiteSpace(blank)) ? AuthenticationFailures.NoSubject
                    : Printable(value) is null ? Malformed : null,
                "aud" => Audiences(value) is not { } audiences ? Malformed : audiences.Contains(audience) ? null : AuthenticationFailures.WrongAudience,
                "exp" => value.ValueKind == JsonValueKind.Null ? AuthenticationFailures.NoExpiry
                    : Date(value) is not { } exp ? Malformed : exp <= now - skew ? AuthenticationFailures.Expired : null,
                "nbf" => Date(value) is not { } nbf ? Malformed : nbf > now + skew ? AuthenticationFailures.NotYetValid : null,
                "iat" or "auth_time" => Date(value) is not null ? null : Malformed,
                "jti" => Text(value) is not null ? null : Malformed,
                "client_id" or "acr" => value.ValueKind == JsonValueKind.Null || Printable(value) is not null ? null : Malformed,
                "amr" or "scope" => value.ValueKind == JsonValueKind.Null || Audiences(value) is not null ? null : Malformed,
                _ when name == groupsClaim => value.ValueKind == JsonValueKind.Null || Audiences(value) is not null ? null : Malformed,
                _ => null, // a claim neither the gateway nor the identity library reads: anything goes
            };
        }

        private static string Malformed => AuthenticationFailures.MalformedToken;

        private static string? Text(JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            return value.GetString();
        }

        private static string? Printable(JsonElement value) => Text(value) is { } text && !text.Any(char.IsControl) ? text : null;

        /// <summary>A printable string or an array of printable strings (aud, amr, scope, groups).</summary>
        private static string[]? Audiences(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => Printable(value) is { } one ? [one] : null,
            JsonValueKind.Array when value.EnumerateArray().All(item => Printable(item) is not null) => value.EnumerateArray().Select(item => Printable(item)!).ToArray(),
            _ => null,
        };

        private static DateTimeOffset? Date(JsonElement value) =>
            value.ValueKind == JsonValueKind.Number && double.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && double.IsFinite(seconds) && seconds is >= 0 and <= MaxNumericDate
                ? DateTimeOffset.FromUnixTimeSeconds((long)Math.Floor(seconds))
                : null;
    }
}
