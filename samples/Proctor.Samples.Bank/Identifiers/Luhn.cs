namespace Proctor.Samples.Bank.Identifiers;

/// <summary>The Luhn (mod 10) check digit used by payment card numbers.</summary>
internal static class Luhn
{
    public static bool IsValid(string digits) =>
        digits.Length > 1 && digits.All(char.IsAsciiDigit) && WeightedSum(digits, doubleRightmost: false) % 10 == 0;

    /// <summary>The digit to append to <paramref name="payload"/> so that the whole number validates.</summary>
    public static char CheckDigit(string payload) =>
        (char)('0' + (10 - WeightedSum(payload, doubleRightmost: true) % 10) % 10);

    private static int WeightedSum(string digits, bool doubleRightmost)
    {
        var sum = 0;
        for (int i = digits.Length - 1, position = 0; i >= 0; i--, position++)
        {
            var digit = digits[i] - '0';
            if (position % 2 == 0 == doubleRightmost)
            {
                digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
            }

            sum += digit;
        }

        return sum;
    }
}
