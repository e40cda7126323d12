using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Proctor.Masking.Detection;

/// <summary>Email addresses (found at their <c>@</c>) and IPv6 addresses (found at a colon).</summary>
internal static class AddressDetector
{
    private static readonly SearchValues<char> Letters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

    public static int Email(ReadOnlySpan<char> text, int at, List<Finding> findings)
    {
        var start = at;
        while (start > 0 && IsLocalChar(text[start - 1]))
        {
            start--;
        }

        var end = at + 1;
        while (end < text.Length && IsDomainChar(text[end]))
        {
            end++;
        }

        while (end > at + 1 && text[end - 1] is '.' or '-')
        {
            end--;
        }

        var domain = text[(at + 1)..end];
        var lastDot = domain.LastIndexOf('.');
        if (start < at && lastDot > 0 && domain.Length - lastDot > 2 && !domain[(lastDot + 1)..].ContainsAnyExcept(Letters)
            && text[start] != '.' && TextShape.EndsToken(text, end))
        {
            findings.Add(new Finding(start, end - start, EntityTypes.Email));
            return end;
        }
        // Not an address: what follows the @ may still be a value (@4539…).
        return at + 1;
    }

    public static int Ipv6(ReadOnlySpan<char> text, int colon, List<Finding> findings)
    {
        var start = colon;
        while (start > 0 && (char.IsAsciiHexDigit(text[start - 1]) || text[start - 1] == ':'))
        {
            start--;
        }

        var end = colon + 1;
        while (end < text.Length && (char.IsAsciiHexDigit(text[end]) || text[end] is ':' or '.'))
        {
            end++;
        }

        while (end > colon + 1 && text[end - 1] == '.')
        {
            end--;
        }

        var candidate = text[start..end];
        if (candidate.Length >= 3 && TextShape.StartsWord(text, start) && TextShape.EndsWord(text, end)
            && (candidate.Contains("::", StringComparison.Ordinal) || candidate.Count(':') == 7)
            && candidate.ContainsAnyExcept(':')
            && IPAddress.TryParse(candidate, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            findings.Add(new Finding(start, end - start, EntityTypes.IpAddress));
            return end;
        }
        return ResumeAfter(text, colon, end);
    }

    /// <summary>
    /// Not an address: scanning resumes where a value may start after the colon (<c>SSN:514-24-1098</c>,
    /// <c>IBAN:DE89…</c>, <c>card::4539…</c>), stepping over what no value fits in: groups of two
    /// characters or fewer before another colon, and seconds ending the run (<c>10:30:00.1234567</c>)
    /// when no digit group is joined after them.
    /// </summary>
    private static int ResumeAfter(ReadOnlySpan<char> text, int colon, int end)
    {
        var group = colon + 1;
        for (var j = group; j <= end; j++)
        {
            if (j < end && text[j] != ':')
            {
                continue;
            }

            if (j == end)
            {
                return IsSeconds(text[group..end]) && !ContinuesAsNumber(text, end) ? end : group;
            }

            if (j - group > 2)
            {
                return group;
            }

            group = j + 1;
        }
        return end;
    }

    /// <summary>One or two digits, then optionally a dot and digits: no detector's shape starts so.</summary>
    private static bool IsSeconds(ReadOnlySpan<char> group)
    {
        var k = 0;
        while (k < group.Length && char.IsAsciiDigit(group[k]))
        {
            k++;
        }

        if (k is not (1 or 2))
        {
            return false;
        }

        if (k == group.Length)
        {
            return true;
        }

        if (group[k] != '.' || k + 1 == group.Length)
        {
            return false;
        }

        for (k++; k < group.Length; k++)
        {
            if (!char.IsAsciiDigit(group[k]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ContinuesAsNumber(ReadOnlySpan<char> text, int end) =>
        end + 1 < text.Length && text[end] is '-' or '/' or ' ' && char.IsAsciiDigit(text[end + 1]);

    private static bool IsLocalChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';

    private static bool IsDomainChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-';
}
