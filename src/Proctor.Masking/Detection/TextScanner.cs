using System.Buffers;

namespace Proctor.Masking.Detection;

/// <summary>
/// Finds sensitive values in one string. Hand-written rather than built on a library: no well-kept
/// .NET package validates US bank identifiers (ABA, SSN ranges, ITIN, EIN prefixes) or credential
/// checksums, and regex-first engines (Presidio, RE2 scanners) spend their time on clean text.
/// Here vectorized searches skip clean text — first a proof that nothing can match at all
/// (<see cref="Triggers"/>), then one search for the characters that can start a number, email or
/// IPv6 address and one for the fixed prefixes of credentials — and span-based validators decide
/// each candidate without allocating.
/// </summary>
internal sealed class TextScanner(CustomDetector custom)
{
    private static readonly SearchValues<char> Starts = SearchValues.Create("0123456789@:");

    /// <summary>
    /// False when <see cref="Scan"/> provably finds nothing in the string whose UTF-8 bytes, without
    /// JSON escapes, are <paramref name="utf8"/>. Operator patterns and deny-lists can match anything,
    /// so with any of them every string is scanned.
    /// </summary>
    public bool MayFindIn(ReadOnlySpan<byte> utf8) => !custom.IsEmpty || Triggers.MayMatch(utf8);

    /// <summary>False when <see cref="Scan"/> provably finds nothing in a JSON member name (<see cref="Triggers.NameMayMatch(ReadOnlySpan{char})"/>).</summary>
    public bool MayFindInName(ReadOnlySpan<char> name) => !custom.IsEmpty || Triggers.NameMayMatch(name);

    /// <summary>The same test on a member name's UTF-8 bytes without JSON escapes.</summary>
    public bool MayFindInName(ReadOnlySpan<byte> utf8) => !custom.IsEmpty || Triggers.NameMayMatch(utf8);

    public bool HasGatewaySecrets => custom.HasGatewaySecrets;

    /// <summary>Fills <paramref name="findings"/> with the gateway's own secrets in <paramref name="text"/>, in text order.</summary>
    public void ScanGatewaySecrets(ReadOnlySpan<char> text, List<Finding> findings) => custom.ScanGatewaySecrets(text, findings);

    /// <summary>
    /// Fills <paramref name="findings"/> with non-overlapping findings in text order. Built-in detectors
    /// read the text with look-alikes folded (<see cref="LookAlikes"/>); findings are given in the
    /// original text, covering the characters the folded value came from.
    /// </summary>
    public void Scan(ReadOnlySpan<char> text, ContextFlags field, List<Finding> findings)
    {
        findings.Clear();
        if (LookAlikes.MayFold(text))
        {
            ScanFolded(text, field, findings);
        }
        else
        {
            ScanBuiltIn(text, field, findings);
        }

        if (!custom.IsEmpty)
        {
            custom.Scan(text, findings);
        }

        if (findings.Count > 1)
        {
            RemoveOverlaps(findings);
        }
    }

    private static void ScanBuiltIn(ReadOnlySpan<char> text, ContextFlags field, List<Finding> findings)
    {
        if (!Triggers.MayMatch(text))
        {
            return;
        }

        if (text.ContainsAny(SecretDetector.PrefixLetters))
        {
            ScanPrefixes(text, findings);
        }

        ScanStarts(text, field, findings);
        if ((field & ContextFlags.Secret) != 0)
        {
            SecretDetector.AwsSecretsIn(text, 0, text.Length, findings);
        }
    }

    private static void ScanFolded(ReadOnlySpan<char> text, ContextFlags field, List<Finding> findings)
    {
        var folded = ArrayPool<char>.Shared.Rent(text.Length);
        var sources = ArrayPool<int>.Shared.Rent(text.Length);
        try
        {
            var length = LookAlikes.Fold(text, folded, sources);
            if (length < 0)
            {
                ScanBuiltIn(text, field, findings);
                return;
            }

            ScanBuiltIn(folded.AsSpan(0, length), field, findings);
            for (var k = 0; k < findings.Count; k++)
            {
                var (start, end) = (sources[findings[k].Start], sources[findings[k].End - 1]);
                end += LookAlikes.SourceLength(text, end);
                findings[k] = findings[k] with { Start = start, Length = end - start };
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(sources);
            ArrayPool<char>.Shared.Return(folded);
        }
    }

    private static void ScanPrefixes(ReadOnlySpan<char> text, List<Finding> findings)
    {
        var pos = 0;
        while (pos < text.Length)
        {
            var k = text[pos..].IndexOfAny(SecretDetector.Prefixes);
            if (k < 0)
            {
                return;
            }

            var i = pos + k;
            pos = Math.Max(i + 1, SecretDetector.Detect(text, i, findings));
        }
    }

    private static void ScanStarts(ReadOnlySpan<char> text, ContextFlags field, List<Finding> findings)
    {
        var pos = 0;
        while (pos < text.Length)
        {
            var k = text[pos..].IndexOfAny(Starts);
            if (k < 0)
            {
                return;
            }

            var i = pos + k;
            pos = Math.Max(i + 1, DetectAt(text, i, field, findings));
        }
    }

    private static int DetectAt(ReadOnlySpan<char> text, int i, ContextFlags field, List<Finding> findings)
    {
        var c = text[i];
        if (c == '@')
        {
            return AddressDetector.Email(text, i, findings);
        }

        if (c == ':')
        {
            return AddressDetector.Ipv6(text, i, findings);
        }

        if (i >= 2 && char.IsAsciiLetterUpper(text[i - 1]) && char.IsAsciiLetterUpper(text[i - 2]))
        {
            var ibanEnd = IbanDetector.Detect(text, i - 2, findings);
            if (ibanEnd > 0)
            {
                return ibanEnd;
            }
        }
        // A digit inside a word (x4111…, 15T10, 852024ab) starts nothing; a digit after a joiner does (cust-4539…).
        if (i > 0 && TextShape.IsAlphanumeric(text[i - 1]))
        {
            return TextShape.SkipWord(text, i);
        }

        if (TextShape.IsUuidAt(text, i))
        {
            return TextShape.SkipWord(text, i);
        }

        return NumberDetector.Detect(text, i, field, findings);
    }

    private static void RemoveOverlaps(List<Finding> findings)
    {
        findings.Sort(static (x, y) => x.Start != y.Start ? x.Start.CompareTo(y.Start) : y.Length.CompareTo(x.Length));
        var kept = 0;
        for (var i = 0; i < findings.Count; i++)
        {
            if (kept > 0 && findings[i].Start < findings[kept - 1].End)
            {
                continue;
            }

            findings[kept++] = findings[i];
        }
        findings.RemoveRange(kept, findings.Count - kept);
    }
}
