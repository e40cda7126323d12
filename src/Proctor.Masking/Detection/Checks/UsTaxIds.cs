namespace Proctor.Masking.Detection.Checks;

/// <summary>
/// Structural rules for SSN, ITIN and EIN. None of them has a check digit, so the number ranges the
/// SSA and IRS never issue are what separates them from other nine-digit numbers.
/// </summary>
internal static class UsTaxIds
{
    public static bool IsSsn(int area, int group, int serial) =>
        area is not (0 or 666) && area < 900 && group != 0 && serial != 0;

    public static bool IsItin(int area, int group, int serial) =>
        area >= 900 && serial != 0 && group is (>= 50 and <= 65) or (>= 70 and <= 88) or (>= 90 and <= 92) or (>= 94 and <= 99);

    /// <summary>IRS campus prefixes; 00, 07–09, 17–19, 28, 29, 49, 69, 70, 78, 79, 89, 96 and 97 are never assigned.</summary>
    public static bool IsEinPrefix(int prefix) =>
        prefix is (>= 1 and <= 6) or (>= 10 and <= 16) or (>= 20 and <= 27) or (>= 30 and <= 48)
            or (>= 50 and <= 68) or (>= 71 and <= 77) or (>= 80 and <= 88) or (>= 90 and <= 95) or 98 or 99;

    public static int Number(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var d in digits)
        {
            value = value * 10 + d;
        }

        return value;
    }
}
