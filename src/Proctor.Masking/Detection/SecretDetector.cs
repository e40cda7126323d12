using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Proctor.Masking.Detection.Checks;

namespace Proctor.Masking.Detection;

/// <summary>
/// Credentials found by their fixed prefix: AWS key ids, JWTs, PEM private keys, GitHub and Slack
/// tokens, <c>Bearer</c>/<c>Basic</c> credentials, and AWS secret keys after the word "secret".
/// </summary>
internal static class SecretDetector
{
    /// <summary>
    /// Prefixes searched in one vectorized pass. Case variants are listed rather than searched
    /// ignoring case: "as", "ba", "se" start so many English words that a case-insensitive search
    /// stopped on most words of clean text.
    /// </summary>
    public static readonly string[] PrefixList =
        ["AKIA", "ASIA", "eyJ", "-----BEGIN ", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox",
         "Bearer ", "bearer ", "BEARER ", "Basic ", "basic ", "BASIC ", "secret", "Secret", "SECRET"];

    public static readonly SearchValues<string> Prefixes = SearchValues.Create(PrefixList, StringComparison.Ordinal);

    /// <summary>
    /// Every prefix holds one of these characters, none of which occurs in hex ids, timestamps or
    /// numbers; text without them skips the prefix search, which costs far more than this one.
    /// </summary>
    public static readonly SearchValues<char> PrefixLetters = SearchValues.Create("IJ_xrRsS");

    private const int AwsSecretLength = 40;
    private const int AwsSecretLookahead = 64;
    // Random base64 of 40 characters carries about 4.7 bits per character; prose and ids sit far below 4.
    private const double AwsSecretMinBits = 4.0;
    private const int MaxJwtHeaderChars = 1024;

    /// <summary>Verifies the prefix hit at <paramref name="i"/>; returns where the prefix search resumes.</summary>
    public static int Detect(ReadOnlySpan<char> text, int i, List<Finding> findings)
    {
        var rest = text[i..];
        if (rest.StartsWith("AKIA") || rest.StartsWith("ASIA"))
        {
            return AwsAccessKey(text, i, findings);
        }

        if (rest.StartsWith("eyJ"))
        {
            return Jwt(text, i, findings);
        }

        if (rest.StartsWith("-----BEGIN "))
        {
            return PrivateKey(text, i, findings);
        }

        if (rest.StartsWith("github_pat_"))
        {
            return Run(text, i, 11, 50, TextShape.IsWordChar, EntityTypes.GitHubToken, findings);
        }

        if (rest.Length > 4 && rest.StartsWith("gh") && rest[3] == '_')
        {
            return GitHubClassic(text, i, findings);
        }

        if (rest.Length > 5 && rest.StartsWith("xox") && rest[3] is 'a' or 'b' or 'p' or 'o' or 'r' or 's' && rest[4] == '-')
        {
            return Run(text, i, 5, 10, static c => char.IsAsciiLetterOrDigit(c) || c == '-', EntityTypes.SlackToken, findings);
        }

        if (rest.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("basic ", StringComparison.OrdinalIgnoreCase))
        {
            return Authorization(text, i, findings);
        }

        if (rest.StartsWith("secret", StringComparison.OrdinalIgnoreCase))
        {
            return AwsSecretsIn(text, i + 6, Math.Min(text.Length, i + 6 + AwsSecretLookahead), findings);
        }

        return i + 1;
    }

    /// <summary>Finds 40-character high-entropy base64 runs in <paramref name="text"/>[from..to].</summary>
    public static int AwsSecretsIn(ReadOnlySpan<char> text, int from, int to, List<Finding> findings)
    {
        var i = from;
        while (i < to)
        {
            if (!IsBase64(text[i])) { i++; continue; }
            var end = TextShape.RunOf(text, i, IsBase64);
            if (end - i == AwsSecretLength && (i == 0 || !IsBase64(text[i - 1])) && LooksRandom(text[i..end]))
            {
                findings.Add(new Finding(i, AwsSecretLength, EntityTypes.AwsSecretKey));
                return end;
            }
            i = end;
        }
        return to;
    }

    private static int AwsAccessKey(ReadOnlySpan<char> text, int i, List<Finding> findings)
    {
        var end = TextShape.RunOf(text, i + 4, static c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c));
        if (end - i == 20 && TextShape.StartsToken(text, i) && TextShape.EndsToken(text, end))
        {
            findings.Add(new Finding(i, 20, EntityTypes.AwsAccessKey));
        }

        return end;
    }

    private static int Jwt(ReadOnlySpan<char> text, int i, List<Finding> findings)
    {
        var headerEnd = TextShape.RunOf(text, i, TextShape.IsBase64Url);
        if (headerEnd >= text.Length - 1 || text[headerEnd] != '.')
        {
            return headerEnd;
        }

        var payloadEnd = TextShape.RunOf(text, headerEnd + 1, TextShape.IsBase64Url);
        if (payloadEnd - headerEnd < 3 || payloadEnd >= text.Length || text[payloadEnd] != '.')
        {
            return payloadEnd;
        }

        var end = TextShape.RunOf(text, payloadEnd + 1, TextShape.IsBase64Url);
        if (TextShape.StartsToken(text, i) && HeaderIsJsonObject(text[i..headerEnd]))
        {
            findings.Add(new Finding(i, end - i, EntityTypes.Jwt));
        }

        return end;
    }

    private static bool HeaderIsJsonObject(ReadOnlySpan<char> header)
    {
        if (header.Length > MaxJwtHeaderChars)
        {
            return false;
        }

        Span<byte> json = stackalloc byte[Base64Url.GetMaxDecodedLength(header.Length)];
        if (Base64Url.DecodeFromChars(header, json, out _, out var written) != OperationStatus.Done)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(json[..written]);
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static int PrivateKey(ReadOnlySpan<char> text, int i, List<Finding> findings)
    {
        var lineEnd = text[i..].IndexOfAny('\n', '\r');
        var header = lineEnd < 0 ? text[i..] : text.Slice(i, lineEnd);
        if (!header.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            return i + 1;
        }
        // A key cut off before its END line is still a key: mask to the end rather than leak the rest.
        var footer = text[i..].IndexOf("-----END ", StringComparison.Ordinal);
        var end = text.Length;
        if (footer >= 0)
        {
            var close = text[(i + footer + 9)..].IndexOf("-----", StringComparison.Ordinal);
            if (close >= 0)
            {
                end = i + footer + 9 + close + 5;
            }
        }
        findings.Add(new Finding(i, end - i, EntityTypes.PrivateKey));
        return end;
    }

    private static int GitHubClassic(ReadOnlySpan<char> text, int i, List<Finding> findings)
    {
        if (text[i + 2] is not ('p' or 'o' or 'u' or 's' or 'r'))
        {
            return i + 1;
        }

        var end = TextShape.RunOf(text, i + 4, char.IsAsciiLetterOrDigit);
        if (end - i == 40 && TextShape.StartsToken(text, i) && TextShape.EndsToken(text, end)
            && GitHubChecksum.IsValid(text.Slice(i + 4, 30), text.Slice(i + 34, 6)))
        {
            findings.Add(new Finding(i, 40, EntityTypes.GitHubToken));
        }

        return end;
    }

    private static int Run(ReadOnlySpan<char> text, int i, int prefixLength, int minBody, Func<char, bool> member, string type, List<Finding> findings)
    {
        var end = TextShape.RunOf(text, i + prefixLength, member);
        if (end - i - prefixLength >= minBody && TextShape.StartsToken(text, i) && text[(i + prefixLength)..end].ContainsAnyInRange('0', '9'))
        {
            findings.Add(new Finding(i, end - i, type));
        }

        return end;
    }

    private static int Authorization(ReadOnlySpan<char> text, int i, List<Finding> findings)
    {
        var basic = char.ToLowerInvariant(text[i]) == 'b' && char.ToLowerInvariant(text[i + 1]) == 'a';
        var start = i + (basic ? 6 : 7);
        while (start < text.Length && text[start] == ' ')
        {
            start++;
        }

        var end = TextShape.RunOf(text, start, IsToken68);
        while (end < text.Length && text[end] == '=')
        {
            end++;
        }

        var credential = text[start..end];
        // A JWT credential is reported as a JWT by its own detector.
        if (credential.StartsWith("eyJ"))
        {
            return start;
        }

        if (!TextShape.StartsWord(text, i) || !(basic ? IsBasicCredential(credential) : IsOpaqueToken(credential)))
        {
            return end;
        }

        findings.Add(new Finding(start, end - start, EntityTypes.AuthHeader));
        return end;
    }

    private static bool IsOpaqueToken(ReadOnlySpan<char> credential) =>
        credential.Length >= 16 && credential.ContainsAnyInRange('0', '9') && credential.ContainsAnyExceptInRange('0', '9');

    private static bool IsBasicCredential(ReadOnlySpan<char> credential)
    {
        if (credential.Length < 8 || credential.Length % 4 != 0)
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[Math.Min(credential.Length, 768)];
        return credential.Length <= 1024
            && Convert.TryFromBase64Chars(credential, decoded, out var written)
            && decoded[..written].Contains((byte)':');
    }

    private static bool IsToken68(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/';

    private static bool IsBase64(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/';

    private static bool LooksRandom(ReadOnlySpan<char> run) =>
        run.ContainsAnyInRange('0', '9') && run.ContainsAnyInRange('a', 'z') && run.ContainsAnyInRange('A', 'Z')
        && Entropy.BitsPerChar(run) >= AwsSecretMinBits;
}
