namespace Proctor.Samples.Bank.Identifiers;

/// <summary>
/// Nine-digit ABA routing transit numbers: a Federal Reserve routing symbol (00–12, 21–32, 61–72, 80),
/// six digits, and a check digit making the 3-7-1 weighted sum a multiple of 10.
/// </summary>
internal static class AbaRoutingNumber
{
    private static readonly int[] Weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];

    public static string Generate(Random random)
    {
        var symbol = random.Next(2) == 0 ? random.Next(1, 13) : random.Next(21, 33);
        var payload = $"{symbol:D2}{RandomDigits.Next(random, 6)}";
        return payload + (char)('0' + (10 - WeightedSum(payload) % 10) % 10);
    }

    public static bool IsValid(string value) =>
        value.Length == 9
        && value.All(char.IsAsciiDigit)
        && IsRoutingSymbol(int.Parse(value.AsSpan(0, 2)))
        && WeightedSum(value) % 10 == 0;

    private static bool IsRoutingSymbol(int symbol) => symbol is <= 12 or (>= 21 and <= 32) or (>= 61 and <= 72) or 80;

    private static int WeightedSum(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            sum += (digits[i] - '0') * Weights[i];
        }

        return sum;
    }
}
