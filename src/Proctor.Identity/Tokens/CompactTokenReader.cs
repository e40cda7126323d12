using System.Buffers;
using System.Buffers.Text;
using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Unicode;
using Proctor.Configuration.Models;

namespace Proctor.Identity.Tokens;

/// <summary>
/// Reads a bearer value as a compact JWS (RFC 7515 §7.1) and the claims the gateway relies on, refusing
/// anything malformed with a sentence that never quotes the token. The identity library would throw on
/// many such tokens (bad base64url, a claim of the wrong type, an <c>exp</c> beyond year 9999), which
/// surfaced as HTTP 500; and it silently takes the last of two repeated members, which RFC 7515 §4 lets a
/// recipient refuse instead, as here. A <c>crit</c> header is refused because the gateway implements no
/// JWS extension (RFC 7515 §4.1.11).
/// </summary>
internal static class CompactTokenReader
{
    /// <summary>
    /// Above the largest tokens mainstream providers issue: an Entra ID token at its 200-group limit carries 200
    /// GUIDs (about 8 KB of JSON, 11 KB once base64url-encoded). A token has to fit Kestrel's default 32 KB of
    /// request headers in any case.
    /// </summary>
    public const int MaxTokenChars = 16 * 1024;

    /// <summary>NumericDate bounds (RFC 7519 §2): 1970 to the last second of year 9999, what DateTimeOffset can hold.</summary>
    private const double MaxNumericDate = 253_402_300_799;

    /// <summary>JWA names (RFC 7518 §3.1, RFC 8037): a fixed registry, so a refusal may name one; anything else is not echoed.</summary>
    private static readonly FrozenSet<string> RegisteredAlgorithms = FrozenSet.Create(StringComparer.Ordinal,
        ["none", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "EdDSA", "ES256K"]);

    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 32 };

    public static bool TryRead(string token, IdentitySettings settings, out UnverifiedToken read, out AuthenticationOutcome refusal)
    {
        read = null!;
        refusal = null!;
        if (Shape(token) is { } badShape)
        {
            refusal = badShape;
            return false;
        }

        var first = token.IndexOf('.', StringComparison.Ordinal);
        var second = token.IndexOf('.', first + 1);
        if (Json(token.AsSpan(0, first)) is not { } header)
        {
            refusal = Malformed("its header is not one JSON object with each member once (RFC 7515 §4)");
            return false;
        }

        using (header)
        {
            if (Header(header.RootElement, settings) is { } badHeader)
            {
                refusal = badHeader;
                return false;
            }

            if (second == token.Length - 1)
            {
                refusal = Malformed("it has no signature");
                return false;
            }

            using var payload = Json(token.AsSpan(first + 1, second - first - 1));
            if (payload is null)
            {
                refusal = Malformed("its claims are not one JSON object with each member once (RFC 7519 §4)");
                return false;
            }

            return Claims(header.RootElement.GetProperty("alg").GetString()!, payload.RootElement, settings, out read, out refusal);
        }
    }

    /// <summary>Size, alphabet and segment count, before anything is decoded.</summary>
    private static AuthenticationOutcome? Shape(string token)
    {
        if (token.Length > MaxTokenChars)
        {
            return AuthenticationOutcome.Unauthorized(AuthenticationFailures.TokenTooLarge, $"The bearer token is longer than {MaxTokenChars} characters; no access token is that large.");
        }

        var dots = 0;
        foreach (var c in token)
        {
            if (c == '.')
            {
                dots++;
            }
            else if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return Malformed("it contains characters a JWT cannot (only A-Z, a-z, 0-9, '-', '_' and two dots; base64url without padding, RFC 7515 §2)");
            }
        }

        return dots switch
        {
            2 when !token.StartsWith('.') && !token.Contains("..", StringComparison.Ordinal) => null,
            2 => Malformed("its header or claims are empty"),
            4 => Malformed("it is encrypted (JWE); this gateway accepts signed access tokens (JWS) only"),
            _ => Malformed($"it has {dots + 1} part{(dots == 0 ? "" : "s")}; a signed JWT has three (header.claims.signature)"),
        };
    }

    /// <summary>
    /// The decoded segment as a JSON object, or null. Held to I-JSON (RFC 7493) like every message the gateway
    /// reads: UTF-8, no member twice, no unpaired surrogate, no number beyond a double; the identity library reads
    /// every claim, including those the gateway ignores, and must not meet one it cannot.
    /// </summary>
    private static JsonDocument? Json(ReadOnlySpan<char> segment)
    {
        if (segment.Length % 4 == 1)
        {
            return null; // no base64url text has this length
        }

        // Not the throwing overload: a segment whose last character carries stray low bits ("abc.not.sig") is not
        // base64url either, and must be refused like any other malformed token, not escape as an exception.
        var decoded = new byte[Base64Url.GetMaxDecodedLength(segment.Length)];
        if (Base64Url.DecodeFromChars(segment, decoded, out _, out var written) != OperationStatus.Done)
        {
            return null;
        }

        var bytes = decoded.AsMemory(0, written);
        if (!Utf8.IsValid(bytes.Span) || !Readable(bytes.Span))
        {
            return null;
        }

        try
        {
            var document = JsonDocument.Parse(bytes, Strict);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool Readable(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = Strict.MaxDepth });
        Span<char> text = stackalloc char[256];
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.Number && (!reader.TryGetDouble(out var number) || !double.IsFinite(number)))
                {
                    return false;
                }

                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    // Throws on an unpaired surrogate; unescaping never lengthens, so the segment's size bounds the text.
                    _ = reader.ValueSpan.Length <= text.Length ? reader.CopyString(text) : reader.GetString()!.Length;
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static AuthenticationOutcome? Header(JsonElement header, IdentitySettings settings)
    {
        if (!header.TryGetProperty("alg", out var alg) || Text(alg) is not { Length: > 0 } algorithm)
        {
            return Malformed("its header has no algorithm (alg)");
        }

        if (!settings.Algorithms.Contains(algorithm, StringComparer.Ordinal))
        {
            // Checked first for a clear reason; the signature check would refuse it too (unsigned tokens, and
            // HMAC keyed with a public key, never verify against the allow-list).
            var named = RegisteredAlgorithms.Contains(algorithm) ? $"'{algorithm}'" : "an unregistered algorithm";
            return AuthenticationOutcome.Unauthorized(AuthenticationFailures.AlgorithmNotAllowed,
                $"Tokens signed with {named} are refused; allowed: {string.Join(", ", settings.Algorithms)}.");
        }

        if (header.TryGetProperty("crit", out _))
        {
            return AuthenticationOutcome.Unauthorized(AuthenticationFailures.UnsupportedCriticalHeader,
                "The token's header marks extensions as critical (crit); this gateway implements none, so it must refuse the token (RFC 7515 §4.1.11).");
        }

        foreach (var member in (ReadOnlySpan<string>)["typ", "kid", "cty"])
        {
            if (header.TryGetProperty(member, out var value) && Text(value) is null)
            {
                return Malformed($"its header parameter '{member}' is not a string");
            }
        }

        return null;
    }

    private static bool Claims(string algorithm, JsonElement claims, IdentitySettings settings, out UnverifiedToken read, out AuthenticationOutcome refusal)
    {
        read = null!;
        refusal = null!;
        if (!claims.TryGetProperty("iss", out var iss) || Text(iss) is not { Length: > 0 } issuer || HasControl(issuer))
        {
            refusal = Malformed("it has no issuer (iss) string of printable characters");
            return false;
        }

        if (!claims.TryGetProperty("sub", out var sub) || sub.ValueKind == JsonValueKind.Null
            || (sub.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(Text(sub))))
        {
            // RFC 9068 §2.2: sub is required in a JWT access token (for a client acting as itself, its client id).
            // Without one, every such caller would share one identity in sessions and the ledger.
            refusal = AuthenticationOutcome.Unauthorized(AuthenticationFailures.NoSubject,
                "The token has no subject (sub); access tokens must name who they were issued to (RFC 9068 §2.2). Configure the identity provider to include sub.");
            return false;
        }

        if (Text(sub) is not { } subject || HasControl(subject))
        {
            refusal = Malformed("its subject (sub) is not a string of printable characters");
            return false;
        }

        if (!claims.TryGetProperty("exp", out var exp) || exp.ValueKind == JsonValueKind.Null)
        {
            refusal = AuthenticationOutcome.Unauthorized(AuthenticationFailures.NoExpiry, "The token has no expiry (exp); such tokens are refused.");
            return false;
        }

        if (!Date(exp, out var expires)
            || !OptionalDate(claims, "nbf", out var notBefore)
            || !OptionalDate(claims, "iat", out _)
            || !OptionalDate(claims, "auth_time", out var authenticatedAt))
        {
            refusal = Malformed("one of its times (exp, nbf, iat, auth_time) is not a number of seconds between 1970 and 9999");
            return false;
        }

        if (claims.TryGetProperty("aud", out var aud) && Strings(aud, split: false) is null)
        {
            refusal = Malformed("its audience (aud) is neither a string nor an array of strings");
            return false;
        }

        if (!OptionalText(claims, "client_id", out var clientId) || !OptionalText(claims, "acr", out var acr))
        {
            refusal = Malformed("its client_id or acr is not a string of printable characters");
            return false;
        }

        if (claims.TryGetProperty("jti", out var jti) && Text(jti) is null)
        {
            refusal = Malformed("its token id (jti) is not a string");
            return false;
        }

        var groups = OptionalStrings(claims, settings.GroupsClaim, split: false);
        var amr = OptionalStrings(claims, "amr", split: false);
        var scopes = OptionalStrings(claims, "scope", split: true);
        if (groups is null || amr is null || scopes is null)
        {
            refusal = Malformed($"its {settings.GroupsClaim}, amr or scope claim is neither a string nor an array of strings");
            return false;
        }

        read = new UnverifiedToken(algorithm, issuer, subject, expires!.Value, notBefore)
        {
            ClientId = clientId,
            AuthenticationContext = acr,
            AuthenticatedAt = authenticatedAt,
            Groups = groups,
            AuthenticationMethods = amr,
            Scopes = scopes,
        };
        return true;
    }

    private static AuthenticationOutcome Malformed(string why) =>
        AuthenticationOutcome.Unauthorized(AuthenticationFailures.MalformedToken, $"The bearer token is not a well-formed JWT access token: {why}.");

    /// <summary>The string, or null when the value is not a string or escapes an unpaired surrogate (not text, RFC 7493 §2.1).</summary>
    private static string? Text(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Control characters have no place in a name the gateway logs and records (they could forge log lines).</summary>
    private static bool HasControl(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool OptionalText(JsonElement claims, string name, out string? text)
    {
        text = null;
        if (!claims.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        text = Text(value);
        return text is not null && !HasControl(text);
    }

    private static string[]? OptionalStrings(JsonElement claims, string name, bool split) =>
        !claims.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? [] : Strings(value, split);

    /// <summary>A string (split on spaces when <paramref name="split"/>) or an array of strings; null for anything else.</summary>
    private static string[]? Strings(JsonElement value, bool split)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            var one = Text(value);
            return one is null || HasControl(one) ? null : split ? one.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [one];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var many = new string[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (Text(item) is not { } text || HasControl(text))
            {
                return null;
            }

            many[i++] = text;
        }

        return many;
    }

    /// <summary>Absent is fine; present must be a date (null too is refused: the identity library cannot read it as one).</summary>
    private static bool OptionalDate(JsonElement claims, string name, out DateTimeOffset? date)
    {
        date = null;
        return !claims.TryGetProperty(name, out var value) || Date(value, out date);
    }

    /// <summary>A NumericDate (RFC 7519 §2): seconds since 1970, possibly fractional; the fraction is dropped.</summary>
    private static bool Date(JsonElement value, out DateTimeOffset? date)
    {
        date = null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds) || !double.IsFinite(seconds) || seconds < 0 || seconds > MaxNumericDate)
        {
            return false;
        }

        date = DateTimeOffset.FromUnixTimeSeconds((long)Math.Floor(seconds));
        return true;
    }
}
