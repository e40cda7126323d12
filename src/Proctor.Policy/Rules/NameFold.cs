using System.Text;

namespace Proctor.Policy.Rules;

/// <summary>
/// Names compare ordinally (docs/policy.md, "Names"): <c>Transfer_Funds</c> is another tool than
/// <c>transfer_funds</c>. Two guards keep a deny from being side-stepped by a name an upstream might
/// still resolve to the denied one (a case-insensitive lookup, a normalising one):
/// deny rules compare <see cref="Fold">folded</see> names, so a deny on <c>transfer_*</c> also
/// covers <c>TRANSFER_funds</c>, <c>ｔｒａｎｓｆｅｒ_funds</c> and <c>transfer\u200B_funds</c>; and a
/// name holding invisible characters or look-alikes of ASCII letters is <see cref="IsDisguised">refused</see>
/// outright, whatever the rules say.
/// </summary>
internal static class NameFold
{
    /// <summary>
    /// Drops default-ignorable code points, maps fullwidth ASCII and the Latin ligatures to ASCII, and
    /// case-folds through upper then lower case, so that <c>ſ</c> (long s) folds like <c>s</c> and
    /// the Kelvin sign like <c>k</c>, as a case-insensitive comparison upstream would treat them.
    /// </summary>
    public static string Fold(string name)
    {
        var plain = true;
        foreach (var c in name)
        {
            if (c >= 0x80 || char.IsAsciiLetterUpper(c))
            {
                plain = false;
                break;
            }
        }

        if (plain)
        {
            return name;
        }

        var folded = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            AppendFolded(folded, rune);
        }

        return folded.ToString();
    }

    private static void AppendFolded(StringBuilder folded, Rune rune)
    {
        var value = rune.Value;
        if (IsDefaultIgnorable(value))
        {
            return;
        }

        if (value is >= 0xFF01 and <= 0xFF5E)
        {
            rune = new Rune(value - 0xFEE0);
        }
        else if (value is 0x017F or 0x0131 or 0x0130)
        {
            // Long s, dotless i and dotted capital I upper-case to ASCII in Unicode's simple mappings,
            // which .NET's invariant casing leaves out: fold them explicitly.
            folded.Append(value == 0x017F ? 's' : 'i');
            return;
        }
        else if (value is >= 0xFB00 and <= 0xFB06)
        {
            foreach (var c in Ligature(value))
            {
                folded.Append(c);
            }

            return;
        }

        folded.Append(Rune.ToLowerInvariant(Rune.ToUpperInvariant(rune)).ToString());
    }

    private static string Ligature(int value) => value switch
    {
        0xFB00 => "ff",
        0xFB01 => "fi",
        0xFB02 => "fl",
        0xFB03 => "ffi",
        0xFB04 => "ffl",
        _ => "st",
    };

    /// <summary>
    /// A name with a control or invisible character, or a non-ASCII character that folds to ASCII
    /// (fullwidth letters, ligatures, long s, dotless i, the Kelvin sign): no upstream lists such a
    /// tool in good faith, and refusing it means no allow glob can be reached through a disguise.
    /// </summary>
    public static bool IsDisguised(string name)
    {
        foreach (var rune in name.EnumerateRunes())
        {
            var value = rune.Value;
            if (value < 0x80)
            {
                if (value < 0x20 || value == 0x7F)
                {
                    return true;
                }

                continue;
            }

            if (IsDefaultIgnorable(value) || Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format)
            {
                return true;
            }

            var folded = new StringBuilder();
            AppendFolded(folded, rune);
            foreach (var c in folded.ToString())
            {
                if (c < 0x80)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt, Unicode 15).</summary>
    private static bool IsDefaultIgnorable(int value) => value switch
    {
        0x00AD or 0x034F or 0x061C or 0x3164 or 0xFEFF or 0xFFA0 => true,
        >= 0x115F and <= 0x1160 => true,
        >= 0x17B4 and <= 0x17B5 => true,
        >= 0x180B and <= 0x180F => true,
        >= 0x200B and <= 0x200F => true,
        >= 0x202A and <= 0x202E => true,
        >= 0x2060 and <= 0x206F => true,
        >= 0xFE00 and <= 0xFE0F => true,
        >= 0xFFF0 and <= 0xFFF8 => true,
        >= 0x1BCA0 and <= 0x1BCA3 => true,
        >= 0x1D173 and <= 0x1D17A => true,
        >= 0xE0000 and <= 0xE0FFF => true,
        _ => false,
    };
}
