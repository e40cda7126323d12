using Proctor.Masking.Detection.Checks;

namespace Proctor.Masking.Detection;

/// <summary>
/// Classifies a run of digit groups (<c>123-45-6789</c>, <c>4111 1111 1111 1111</c>, <c>10.0.0.1</c>)
/// into cards, SSN/ITIN/EIN, phones, IPv4, dates of birth, routing and account numbers. A run is split
/// only at spaces, so an order id such as <c>123-45-6789-01</c> never yields an SSN from its prefix;
/// only a group that is a whole card number by itself is taken out of a longer run.
/// </summary>
internal static class NumberDetector
{
    private const int MaxGroups = 12;
    private const int MaxDigits = 19;
    private const int ShortestCard = 13;

    /// <summary>
    /// Detects at the digit <paramref name="start"/>, which no letter or digit precedes; returns where
    /// scanning resumes. A run may be joined to words on either side (<c>cust-4539…</c>,
    /// <c>file_515251105.csv</c>, <c>/customers/515-25-1105/</c>), not glued to one (<c>2024-01-15T10</c>)
    /// nor to a hex id (the last group of a UUID): there the validators decide, as in free text.
    /// </summary>
    public static int Detect(ReadOnlySpan<char> text, int start, ContextFlags field, List<Finding> findings)
    {
        if (start > 0 && text[start - 1] == '(' && TryParenthesizedPhone(text, start, out var phoneEnd))
        {
            findings.Add(new Finding(start - 1, phoneEnd - start + 1, EntityTypes.Phone));
            return phoneEnd;
        }

        Span<int> starts = stackalloc int[MaxGroups];
        Span<int> lengths = stackalloc int[MaxGroups];
        Span<char> seps = stackalloc char[MaxGroups];
        var count = 0;
        var longest = 0;
        var i = start;
        while (true)
        {
            var groupStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            starts[count] = groupStart;
            lengths[count] = i - groupStart;
            longest = Math.Max(longest, lengths[count]);
            count++;
            if (count == MaxGroups || i + 1 >= text.Length)
            {
                break;
            }

            var c = text[i];
            if (c is not ('-' or '.' or '/' or ' ') || !char.IsAsciiDigit(text[i + 1]))
            {
                break;
            }

            seps[count - 1] = c;
            i++;
        }
        if (count == MaxGroups)
        {
            return SkipNumberRun(text, i);
        }

        var left = TextShape.Before(text, start);
        var after = TextShape.After(text, i);
        // 1984-07-23T00:00:00Z under a birth date: the date is the value, the time glued to it is not.
        var timeFollows = after == Edge.Glued && i + 2 < text.Length && text[i] == 'T' && char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 2]);
        var right = timeFollows ? Edge.Clean : after;
        var context = new LazyContext(field, text, start);
        var a = 0;
        while (a < count)
        {
            var matched = false;
            for (var b = UniformEnd(seps, a, count); b >= a; b--)
            {
                var edges = new Edges(a == 0 ? left : Edge.Clean, b == count - 1 ? right : seps[b] == ' ' || IsCidrPrefix(seps, lengths, a, b, count) ? Edge.Clean : Edge.Glued,
                    DateOnly: timeFollows && b == count - 1);
                if (!edges.Fit)
                {
                    continue;
                }

                var type = Classify(text, starts[a..(b + 1)], lengths[a..(b + 1)], b > a ? seps[a] : '\0', edges, ref context);
                if (type is null)
                {
                    continue;
                }

                var end = starts[b] + lengths[b];
                findings.Add(new Finding(starts[a], end - starts[a], type));
                a = b + 1;
                matched = true;
                break;
            }
            if (matched)
            {
                continue;
            }

            var from = a;
            a++;
            while (a < count && seps[a - 1] != ' ')
            {
                a++;
            }

            if (longest >= ShortestCard)
            {
                CardsInside(text, starts[from..a], lengths[from..a], seps[from..a], from == 0 ? left : Edge.Clean, a == count ? right : Edge.Clean, findings);
            }
        }
        return after switch
        {
            Edge.Glued => TextShape.SkipWord(text, i),
            Edge.JoinedToHexId => TextShape.SkipWord(text, i + 1),
            _ => i,
        };
    }

    /// <summary><c>10.0.0.0/24</c>: a dotted quad may end at the slash of a CIDR prefix length.</summary>
    private static bool IsCidrPrefix(ReadOnlySpan<char> seps, ReadOnlySpan<int> lengths, int a, int b, int count) =>
        b == a + 3 && b + 2 == count && seps[a] == '.' && seps[b] == '/' && lengths[b + 1] <= 2;

    /// <summary>
    /// A run joined by dashes or slashes is not split (<c>123-45-6789-01</c> is no SSN), but one group
    /// that is a whole card number by itself is a card: Luhn and the issuer prefix carry it
    /// (<c>4539148803436467-2</c>, <c>2024/4539148803436467</c>). Dots are left alone: they make decimals.
    /// </summary>
    private static void CardsInside(ReadOnlySpan<char> text, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, ReadOnlySpan<char> seps, Edge left, Edge right, List<Finding> findings)
    {
        var groups = starts.Length;
        if (groups < 2)
        {
            return;
        }

        Span<byte> digits = stackalloc byte[MaxDigits];
        for (var g = 0; g < groups; g++)
        {
            if (lengths[g] is < ShortestCard or > MaxDigits)
            {
                continue;
            }

            var joinedBefore = g == 0 ? left is Edge.Clean or Edge.Joined : seps[g - 1] is '-' or '/';
            var joinedAfter = g == groups - 1 ? right is Edge.Clean or Edge.Joined : seps[g] is '-' or '/';
            if (!joinedBefore || !joinedAfter)
            {
                continue;
            }

            var number = digits[..lengths[g]];
            for (var k = 0; k < number.Length; k++)
            {
                number[k] = (byte)(text[starts[g] + k] - '0');
            }

            if (CardIssuers.IsKnownPrefix(number) && Luhn.IsValid(number))
            {
                findings.Add(new Finding(starts[g], lengths[g], EntityTypes.Card));
            }
        }
    }

    /// <summary>What touches a candidate run: it fits when neither side is glued to a word or joined to a hex id.</summary>
    /// <param name="DateOnly">A time is glued after the run: only a date (of birth) may end there.</param>
    private readonly record struct Edges(Edge Left, Edge Right, bool DateOnly)
    {
        public bool Fit => Left is Edge.Clean or Edge.Joined && Right is Edge.Clean or Edge.Joined;

        public bool Joined => Left == Edge.Joined || Right == Edge.Joined;
    }

    private static int UniformEnd(ReadOnlySpan<char> seps, int a, int count)
    {
        var b = a;
        while (b + 1 < count && (b == a || seps[b] == seps[a]))
        {
            b++;
        }

        return b;
    }

    private static int SkipNumberRun(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is '-' or '.' or '/' or ' '))
        {
            i++;
        }

        return i < text.Length && TextShape.IsAlphanumeric(text[i]) ? TextShape.SkipWord(text, i) : i;
    }

    private static string? Classify(ReadOnlySpan<char> text, scoped ReadOnlySpan<int> starts, scoped ReadOnlySpan<int> lengths, char sep, Edges edges, ref LazyContext context)
    {
        if (edges.DateOnly && (lengths.Length != 3 || !context.Has(ContextFlags.Birth)))
        {
            return null;
        }

        var total = 0;
        foreach (var length in lengths)
        {
            total += length;
        }

        if (total > MaxDigits)
        {
            return null;
        }

        Span<byte> digits = stackalloc byte[total];
        var k = 0;
        for (var g = 0; g < starts.Length; g++)
        {
            for (var j = 0; j < lengths[g]; j++)
            {
                digits[k++] = (byte)(text[starts[g] + j] - '0');
            }
        }

        var groups = lengths.Length;
        if (edges.DateOnly)
        {
            return sep == '-' && IsDate(lengths, digits) ? EntityTypes.DateOfBirth : null;
        }

        if (total >= 13 && sep is '\0' or ' ' or '-' && IsCardGrouping(lengths) && CardIssuers.IsKnownPrefix(digits) && Luhn.IsValid(digits)
            && !IsAccountNotCard(groups, ref context))
        {
            return EntityTypes.Card;
        }

        if (groups == 3 && lengths[0] == 3 && lengths[1] == 2 && lengths[2] == 4 && sep is '-' or ' ' or '.')
        {
            return TaxId(digits);
        }
        // Most two-digit prefixes are campus prefixes: joined to a word (INV-12-3456789) an EIN needs its name nearby.
        if (groups == 2 && lengths[0] == 2 && lengths[1] == 7 && sep == '-' && UsTaxIds.IsEinPrefix(UsTaxIds.Number(digits[..2]))
            && (!edges.Joined || context.Has(ContextFlags.Ein)))
        {
            return EntityTypes.Ein;
        }

        if (sep is '-' or '.' or ' ' && IsPhoneGrouping(lengths, digits) && IsNanp(digits[^10..]))
        {
            return EntityTypes.Phone;
        }

        if (groups == 4 && sep == '.' && IsIpv4(lengths, digits) && !context.Has(ContextFlags.Version))
        {
            return EntityTypes.IpAddress;
        }

        if (groups == 3 && sep is '-' or '/' or '.' && IsDate(lengths, digits) && context.Has(ContextFlags.Birth))
        {
            return EntityTypes.DateOfBirth;
        }

        return groups == 1 ? Bare(digits, ref context) : FormattedAccount(total, sep, ref context);
    }

    /// <summary>One in ten long account numbers passes Luhn; said to be an account (and not a card), it is one.</summary>
    private static bool IsAccountNotCard(int groups, ref LazyContext context) =>
        groups == 1 && context.Has(ContextFlags.Account) && !context.Has(ContextFlags.Card);

    private static string? TaxId(ReadOnlySpan<byte> d)
    {
        var area = UsTaxIds.Number(d[..3]);
        var group = UsTaxIds.Number(d[3..5]);
        var serial = UsTaxIds.Number(d[5..]);
        if (UsTaxIds.IsItin(area, group, serial))
        {
            return EntityTypes.Itin;
        }

        return UsTaxIds.IsSsn(area, group, serial) ? EntityTypes.Ssn : null;
    }

    private static string? Bare(scoped ReadOnlySpan<byte> d, ref LazyContext context)
    {
        if (d.Length == 9)
        {
            if (context.Has(ContextFlags.Routing) && AbaRouting.IsValid(d))
            {
                return EntityTypes.AbaRouting;
            }

            var area = UsTaxIds.Number(d[..3]);
            var group = UsTaxIds.Number(d[3..5]);
            var serial = UsTaxIds.Number(d[5..]);
            if (context.Has(ContextFlags.Itin) && UsTaxIds.IsItin(area, group, serial))
            {
                return EntityTypes.Itin;
            }

            if (context.Has(ContextFlags.Ssn) && UsTaxIds.IsSsn(area, group, serial))
            {
                return EntityTypes.Ssn;
            }
        }
        if ((d.Length == 10 || (d.Length == 11 && d[0] == 1)) && context.Has(ContextFlags.Phone) && IsNanp(d[^10..]))
        {
            return EntityTypes.Phone;
        }

        return d.Length is >= 8 and <= 17 && context.Has(ContextFlags.Account) ? EntityTypes.BankAccount : null;
    }

    private static string? FormattedAccount(int total, char sep, ref LazyContext context) =>
        total is >= 8 and <= 17 && sep is '-' or ' ' && context.Has(ContextFlags.Account) ? EntityTypes.BankAccount : null;

    private static bool IsCardGrouping(ReadOnlySpan<int> lengths)
    {
        if (lengths.Length == 1)
        {
            return true;
        }

        if (lengths.Length == 3 && lengths[0] == 4 && lengths[1] == 6 && lengths[2] is 4 or 5)
        {
            return true; // Amex, Diners
        }

        for (var g = 0; g < lengths.Length - 1; g++)
        {
            if (lengths[g] != 4)
            {
                return false;
            }
        }

        return lengths[^1] is >= 1 and <= 4;
    }

    private static bool IsPhoneGrouping(ReadOnlySpan<int> lengths, ReadOnlySpan<byte> d) =>
        (lengths.Length == 3 && lengths[0] == 3 && lengths[1] == 3 && lengths[2] == 4)
        || (lengths.Length == 4 && lengths[0] == 1 && d[0] == 1 && lengths[1] == 3 && lengths[2] == 3 && lengths[3] == 4);

    /// <summary>North American Numbering Plan: area and exchange codes start with 2–9.</summary>
    private static bool IsNanp(ReadOnlySpan<byte> ten) => ten[0] >= 2 && ten[3] >= 2 && !(ten[1] == 1 && ten[2] == 1);

    private static bool IsIpv4(ReadOnlySpan<int> lengths, ReadOnlySpan<byte> d)
    {
        var k = 0;
        foreach (var length in lengths)
        {
            if (length > 3 || (length > 1 && d[k] == 0))
            {
                return false;
            }

            if (UsTaxIds.Number(d.Slice(k, length)) > 255)
            {
                return false;
            }

            k += length;
        }
        return true;
    }

    private static bool IsDate(ReadOnlySpan<int> lengths, ReadOnlySpan<byte> d)
    {
        int year, month, day;
        if (lengths[0] == 4 && lengths[1] == 2 && lengths[2] == 2)
        {
            (year, month, day) = (UsTaxIds.Number(d[..4]), UsTaxIds.Number(d[4..6]), UsTaxIds.Number(d[6..]));
        }
        else if (lengths[0] <= 2 && lengths[1] <= 2 && lengths[2] == 4)
        {
            (month, day, year) = (UsTaxIds.Number(d[..lengths[0]]), UsTaxIds.Number(d.Slice(lengths[0], lengths[1])), UsTaxIds.Number(d[^4..]));
        }
        else
        {
            return false;
        }

        return year is >= 1900 and <= 2030 && month is >= 1 and <= 12 && day is >= 1 and <= 31;
    }

    private static bool TryParenthesizedPhone(ReadOnlySpan<char> text, int start, out int end)
    {
        end = 0;
        var rest = text[start..];
        if (rest.Length < 13 || rest[3] != ')')
        {
            return false;
        }

        var i = rest[4] == ' ' ? 5 : 4;
        if (rest.Length < i + 8 || rest[i + 3] is not ('-' or '.' or ' '))
        {
            return false;
        }

        Span<byte> d = stackalloc byte[10];
        ReadOnlySpan<int> positions = [0, 1, 2, i, i + 1, i + 2, i + 4, i + 5, i + 6, i + 7];
        for (var k = 0; k < 10; k++)
        {
            var c = rest[positions[k]];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            d[k] = (byte)(c - '0');
        }
        end = start + i + 8;
        return IsNanp(d) && TextShape.After(text, end) is Edge.Clean or Edge.Joined;
    }

    /// <summary>Free-text context is read only when a candidate needs it, and then once.</summary>
    private ref struct LazyContext(ContextFlags field, ReadOnlySpan<char> text, int start)
    {
        private readonly ReadOnlySpan<char> _text = text;
        private ContextFlags _flags = field;
        private bool _read;

        public bool Has(ContextFlags wanted)
        {
            if ((_flags & wanted) != 0)
            {
                return true;
            }

            if (!_read)
            {
                _flags |= ContextWords.Before(_text, start);
                _read = true;
            }
            return (_flags & wanted) != 0;
        }
    }
}
