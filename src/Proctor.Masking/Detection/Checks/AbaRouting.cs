namespace Proctor.Masking.Detection.Checks;

internal static class AbaRouting
{
    /// <summary>ABA check: weights 3, 7, 1 repeated over the nine digits; the sum is a multiple of 10.</summary>
    public static bool IsValid(ReadOnlySpan<byte> d) =>
        d.Length == 9
        && (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5] + d[8]) % 10 == 0
        && d.ContainsAnyExcept((byte)0);
}
