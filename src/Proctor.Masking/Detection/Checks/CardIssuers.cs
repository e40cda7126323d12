namespace Proctor.Masking.Detection.Checks;

/// <summary>Issuer identification number ranges of the card networks a US bank sees.</summary>
internal static class CardIssuers
{
    public static bool IsKnownPrefix(ReadOnlySpan<byte> digits)
    {
        var n = digits.Length;
        var two = digits[0] * 10 + digits[1];
        var four = two * 100 + digits[2] * 10 + digits[3];
        return digits[0] switch
        {
            4 => n is 13 or 16 or 19,                                               // Visa
            5 => two is >= 51 and <= 55 ? n == 16 : n >= 12,                       // Mastercard, Maestro 50/56-59
            2 => four is >= 2221 and <= 2720 && n == 16,                            // Mastercard 2-series
            3 => (two is 34 or 37 && n == 15)                                        // Amex
                 || (four is >= 3528 and <= 3589 && n >= 16)                         // JCB
                 || ((two is 36 or 38 or 39 || four / 10 is >= 300 and <= 305) && n >= 14), // Diners
            6 => n >= 16,                                                            // Discover, UnionPay, Maestro 6x
            _ => false,
        };
    }
}
