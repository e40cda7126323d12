using System.Text;

namespace Proctor.Mcp.Protocol;

/// <summary>
/// The 2026-07-28 "Value Encoding" for mirrored headers: plain ASCII values are sent as they are,
/// anything else as <c>=?base64?{base64 of UTF-8}?=</c>.
/// </summary>
public static class HeaderValues
{
    private const string Prefix = "=?base64?";
    private const string Suffix = "?=";

    public static string Encode(string value) =>
        IsPlainAscii(value) ? value : Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) + Suffix;

    public static string? Decode(string? header)
    {
        if (header is null || !header.StartsWith(Prefix, StringComparison.Ordinal) || !header.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return header;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(header[Prefix.Length..^Suffix.Length]));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool IsPlainAscii(string value)
    {
        if (value.Length > 0 && (value[0] is ' ' or '\t' || value[^1] is ' ' or '\t'))
        {
            return false;
        }

        foreach (var c in value)
        {
            if ((c < 0x20 && c != 0x09) || c > 0x7E)
            {
                return false;
            }
        }

        return !(value.StartsWith(Prefix, StringComparison.Ordinal) && value.EndsWith(Suffix, StringComparison.Ordinal));
    }
}
