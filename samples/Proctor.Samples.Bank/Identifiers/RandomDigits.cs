namespace Proctor.Samples.Bank.Identifiers;

internal static class RandomDigits
{
    public static string Next(Random random, int count) =>
        string.Create(count, random, static (span, random) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('0' + random.Next(10));
            }
        });
}
