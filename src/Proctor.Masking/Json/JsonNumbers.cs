using System.Text.Json.Nodes;

namespace Proctor.Masking.Json;

/// <summary>
/// Which JSON numbers are read as text. Under a telling field name (<see cref="FieldContext.MayMaskNumber"/>)
/// every number is; under any other name only a plain integer of 13–19 digits, the length of a card
/// number (<c>"value": 4539148803436467</c>), which must still pass the issuer prefix and Luhn checks.
/// A number that masking changes becomes a string (docs/masking.md, "JSON numbers").
/// </summary>
internal static class JsonNumbers
{
    private const ulong SmallestThirteenDigits = 1_000_000_000_000UL;
    private const ulong SmallestTwentyDigits = 10_000_000_000_000_000_000UL;

    /// <summary>A JSON number token's raw bytes: 13–19 ASCII digits, no sign, fraction or exponent.</summary>
    public static bool MayBeCard(ReadOnlySpan<byte> raw) =>
        raw.Length is >= 13 and <= 19 && !raw.ContainsAnyExceptInRange((byte)'0', (byte)'9');

    /// <summary>The same test on a parsed number: a non-negative integer of 13–19 digits.</summary>
    public static bool MayBeCard(JsonValue number)
    {
        ulong value;
        if (number.TryGetValue<ulong>(out var unsigned))
        {
            value = unsigned;
        }
        else if (number.TryGetValue<long>(out var signed) && signed >= 0)
        {
            value = (ulong)signed;
        }
        else
        {
            return false;
        }

        return value is >= SmallestThirteenDigits and < SmallestTwentyDigits;
    }
}
