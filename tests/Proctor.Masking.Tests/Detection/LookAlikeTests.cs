namespace Proctor.Masking.Tests.Detection;

/// <summary>Unicode look-alikes are folded before detection; the original characters are what gets replaced.</summary>
public class LookAlikeTests
{
    [Theory]
    [InlineData("SSN ５１４-２４-１０９８ ok", "SSN [SSN] ok")]                       // fullwidth digits
    [InlineData("SSN ٥١٤-٢٤-١٠٩٨ ok", "SSN [SSN] ok")]                             // Arabic-Indic digits
    [InlineData("SSN ५१४-२४-१०९८ ok", "SSN [SSN] ok")]                             // Devanagari digits
    [InlineData("SSN 514\u201324\u20131098 ok", "SSN [SSN] ok")]                    // en dash
    [InlineData("SSN 514\u201424\u20141098 ok", "SSN [SSN] ok")]                    // em dash
    [InlineData("SSN 514\u221224\u22121098 ok", "SSN [SSN] ok")]                    // minus sign
    [InlineData("SSN 514\u201124\u20111098 ok", "SSN [SSN] ok")]                    // non-breaking hyphen
    [InlineData("card 4539\u00A01488\u00A00343\u00A06467 ok", "card [CARD] ok")]    // no-break space
    [InlineData("card 4539\u202F1488\u202F0343\u202F6467 ok", "card [CARD] ok")]    // narrow no-break space
    [InlineData("card 4539\u20091488\u20090343\u20096467 ok", "card [CARD] ok")]    // thin space
    [InlineData("SSN 51\u200B4-24-10\u200D98 ok", "SSN [SSN] ok")]                 // zero-width space, joiner
    [InlineData("SSN 5\u00AD14-2\u20604-1098 ok", "SSN [SSN] ok")]                  // soft hyphen, word joiner
    [InlineData("SSN \uFEFF514-24-1098 ok", "SSN \uFEFF[SSN] ok")]                  // BOM before: not part of the value
    [InlineData("ssn\u200B514241098", "ssn\u200B[SSN]")]                            // invisible between word and number parts them
    [InlineData("SSN 514%2D24%2D1098", "SSN [SSN]")]                                // percent escapes
    [InlineData("mail jane%40example.com", "mail [EMAIL]")]
    [InlineData("next=%2Fsearch%3Fssn%3D514241098", "next=%2Fsearch%3Fssn%3D[SSN]")]
    [InlineData("ＩＢＡＮ ＤＥ８９３７０４００４４０５３２０１３０００", "ＩＢＡＮ [IBAN]")] // fullwidth letters and digits
    public void LookAlike_IsFound_OriginalSpanReplaced(string text, string expected) => Assert.Equal(expected, Masker.Redact(text));

    [Fact]
    public void DigitsOutsideTheBmp_AreFoundAndStarredWhole()
    {
        // U+1D7D3… MATHEMATICAL BOLD DIGITs are surrogate pairs.
        var bold = string.Concat("514-24-1098".Select(c => char.IsAsciiDigit(c) ? char.ConvertFromUtf32(0x1D7CE + c - '0') : c.ToString()));
        Assert.Equal("SSN [SSN]", Masker.Redact("SSN " + bold));
        var partial = Masker.Defaults.MaskText("SSN " + bold, MaskingScope.Gateway, MaskingAudience.Storage).Text;
        Assert.Equal("SSN ***-**-" + bold[^8..], partial);
    }

    [Fact]
    public void Token_OfALookAlike_EqualsTheTokenOfItsAsciiForm()
    {
        var engine = Masker.Engine(new Proctor.Masking.Policy.MaskingPolicy { Rules = [new Proctor.Masking.Policy.MaskingRule { Entity = "ssn", Strategy = Proctor.Masking.Policy.MaskingStrategy.Token }] });
        string Token(string text) => engine.MaskText(text, MaskingScope.Gateway, MaskingAudience.Storage).Text;
        Assert.Equal(Token("SSN 514-24-1098"), Token("SSN ５１４\u2013２４\u2013１０９８"));
    }

    [Theory]
    [InlineData("price ４.５％")]
    [InlineData("order ＃１２３４５")]
    [InlineData("café 12")]
    [InlineData("50% off, 100%")]
    public void LookAlikeWithoutAValue_IsLeftAlone(string text) => Assert.Equal(text, Masker.Redact(text));
}
