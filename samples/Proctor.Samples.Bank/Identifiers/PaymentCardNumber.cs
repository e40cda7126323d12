namespace Proctor.Samples.Bank.Identifiers;

/// <summary>Card numbers with real issuer prefixes (IIN ranges) and lengths, ending in a Luhn check digit.</summary>
internal static class PaymentCardNumber
{
    public static string Generate(Random random)
    {
        var (prefix, length) = random.Next(10) switch
        {
            < 4 => ("4", 16),                                      // Visa
            < 6 => ($"5{random.Next(1, 6)}", 16),                  // Mastercard 51–55
            6 => (random.Next(2221, 2721).ToString(), 16),         // Mastercard 2-series
            7 => (random.Next(2) == 0 ? "34" : "37", 15),          // American Express
            _ => (random.Next(2) == 0 ? "6011" : "65", 16),        // Discover
        };
        var payload = prefix + RandomDigits.Next(random, length - 1 - prefix.Length);
        return payload + Luhn.CheckDigit(payload);
    }

    public static bool IsValid(string value) => Luhn.IsValid(value) && IssuerLength(value) == value.Length;

    private static int? IssuerLength(string value) => value switch
    {
        ['4', ..] => 16,
        ['5', >= '1' and <= '5', ..] => 16,
        ['2', _, _, _, ..] when int.Parse(value.AsSpan(0, 4)) is >= 2221 and <= 2720 => 16,
        ['3', '4' or '7', ..] => 15,
        ['6', '0', '1', '1', ..] or ['6', '5', ..] => 16,
        _ => null,
    };
}
