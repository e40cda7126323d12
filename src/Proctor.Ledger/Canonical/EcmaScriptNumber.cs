using System.Globalization;
using System.Text;

namespace Proctor.Ledger.Canonical;

/// <summary>
/// Formats a double as ECMAScript's Number.prototype.toString does (ECMA-262 Number::toString),
/// which RFC 8785 §3.2.2.3 requires. .NET's "R" format already yields the shortest round-trip
/// digits; only their layout differs.
/// </summary>
internal static class EcmaScriptNumber
{
    public static string Format(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new FormatException("NaN and Infinity are not JSON numbers and have no canonical form.");
        }
        if (value == 0)
        {
            return "0"; // also for -0 (ECMA-262: the String of -0 is "0")
        }
        var (digits, pointPosition) = ShortestDigits(Math.Abs(value));
        var text = Layout(digits, pointPosition);
        return value < 0 ? "-" + text : text;
    }

    /// <summary>The shortest round-trip digits d1…dk without leading or trailing zeros, and n such that value = 0.d1…dk × 10^n.</summary>
    private static (string Digits, int PointPosition) ShortestDigits(double positive)
    {
        var roundTrip = positive.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var exponentAt = roundTrip.IndexOfAny(['E', 'e']);
        if (exponentAt >= 0)
        {
            exponent = int.Parse(roundTrip.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            roundTrip = roundTrip[..exponentAt];
        }
        var dot = roundTrip.IndexOf('.');
        var integerDigits = dot < 0 ? roundTrip.Length : dot;
        var allDigits = roundTrip.Replace(".", "", StringComparison.Ordinal);
        var leadingZeros = allDigits.Length - allDigits.TrimStart('0').Length;
        var digits = allDigits.Trim('0');
        return (digits, integerDigits - leadingZeros + exponent);
    }

    private static string Layout(string digits, int n)
    {
        var k = digits.Length;
        if (k <= n && n <= 21)
        {
            return digits + new string('0', n - k);
        }
        if (0 < n && n <= 21)
        {
            return digits[..n] + "." + digits[n..];
        }
        if (-6 < n && n <= 0)
        {
            return "0." + new string('0', -n) + digits;
        }
        var exponent = n - 1;
        var builder = new StringBuilder();
        builder.Append(digits[0]);
        if (k > 1)
        {
            builder.Append('.').Append(digits, 1, k - 1);
        }
        builder.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString(CultureInfo.InvariantCulture));
        return builder.ToString();
    }
}
