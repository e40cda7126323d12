namespace Proctor.Masking.Detection.Checks;

internal static class Entropy
{
    /// <summary>Shannon entropy in bits per character of an ASCII span.</summary>
    public static double BitsPerChar(ReadOnlySpan<char> text)
    {
        Span<int> counts = stackalloc int[128];
        counts.Clear();
        foreach (var c in text)
        {
            counts[c & 0x7F]++;
        }

        var bits = 0.0;
        foreach (var count in counts)
        {
            if (count == 0)
            {
                continue;
            }

            var p = (double)count / text.Length;
            bits -= p * Math.Log2(p);
        }
        return bits;
    }
}
