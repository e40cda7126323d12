namespace Proctor.Masking.Tests.Detection;

/// <summary>
/// Values glued to punctuation or joined to words (URLs, paths, file names, ids) are found; values
/// glued to letters, or joined to hex ids, UUIDs, timestamps and versions, are not.
/// </summary>
public class JoinedTokenTests
{
    [Theory]
    [InlineData("SSN:514-24-1098", "SSN:[SSN]")]
    [InlineData("card::4539148803436467", "card::[CARD]")]
    [InlineData("account:12345678901", "account:[BANK_ACCOUNT]")]
    [InlineData("routing:021000021", "routing:[ABA_ROUTING]")]
    [InlineData("IBAN:DE89370400440532013000", "IBAN:[IBAN]")]
    [InlineData("ssn=514-24-1098;", "ssn=[SSN];")]
    [InlineData("ref#4539148803436467|x", "ref#[CARD]|x")]
    [InlineData("[514-24-1098]", "[[SSN]]")]
    [InlineData("'514-24-1098',", "'[SSN]',")]
    [InlineData("\"4539-1488-0343-6467\"", "\"[CARD]\"")]
    [InlineData("@4539148803436467", "@[CARD]")]
    [InlineData("DOB:1984-07-23T00:00:00Z", "DOB:[DATE_OF_BIRTH]T00:00:00Z")]
    public void GluedToPunctuation_IsFound(string text, string expected) => Assert.Equal(expected, Masker.Redact(text));

    [Theory]
    [InlineData("/customers/515-25-1105/", "/customers/[SSN]/")]
    [InlineData("https://bank.example/customers/515-25-1105/orders", "https://bank.example/customers/[SSN]/orders")]
    [InlineData("https://bank.example/search?ssn=514-24-1098&card=4539148803436467&page=2", "https://bank.example/search?ssn=[SSN]&card=[CARD]&page=2")]
    [InlineData("ssn_514241098", "ssn_[SSN]")]
    [InlineData("cust-4539148803436467", "cust-[CARD]")]
    [InlineData("x.536-24-1098", "x.[SSN]")]
    [InlineData("ssn file_515251105.csv", "ssn file_[SSN].csv")]
    [InlineData("iban_DE89370400440532013000.pdf", "iban_[IBAN].pdf")]
    [InlineData("/accounts/12345678901/statements", "/accounts/[BANK_ACCOUNT]/statements")]
    [InlineData("ein-12-3456789", "ein-[EIN]")]
    [InlineData("tel_2125550143", "tel_[PHONE]")]
    [InlineData("key_AKIAABCDEFGHIJKLMNOP", "key_[AWS_ACCESS_KEY]")]
    public void JoinedToWords_IsFound(string text, string expected) => Assert.Equal(expected, Masker.Redact(text));

    [Theory]
    [InlineData("id=4539148803436467-2", "id=[CARD]-2")]
    [InlineData("batch 2024/4539148803436467/07", "batch 2024/[CARD]/07")]
    [InlineData("route 10.20.0.0/16 via gw", "route [IP_ADDRESS]/16 via gw")]
    [InlineData("order 123-45-6789-01", "order 123-45-6789-01")]                  // a run joined by dashes is not split into an SSN
    [InlineData("order 4539148803436468-2", "order 4539148803436468-2")]          // Luhn fails
    [InlineData("total 4539148803436467.25", "total 4539148803436467.25")]        // a decimal, not a card and a suffix
    public void JoinedToDigitGroups_OnlyAWholeCardIsTakenOut(string text, string expected) => Assert.Equal(expected, Masker.Redact(text));

    [Theory]
    [InlineData("x4111111111111111")]                             // glued to a letter
    [InlineData("852024ab-432b-83b9-a1c2-453914880343")]          // a UUID's groups
    [InlineData("id a1b2c3d4-4539148803436467")]                  // joined to a hex id
    [InlineData("at 2024-01-15T10:30:00Z, dob field empty")]      // a timestamp, no birth context
    [InlineData("created 1984-07-23T00:00:00Z")]
    [InlineData("release.4.3.0.0")]                               // a four-part version named as one
    [InlineData("v1.2.3.4")]
    [InlineData("INV-12-3456789")]                                // EIN-shaped order id, no EIN context
    [InlineData("ORD-2024-123456")]
    [InlineData("sha256:3f2a4539148803436467bc9d")]
    public void GluedToLettersOrHexIds_IsLeftAlone(string text) => Assert.Equal(text, Masker.Redact(text));
}
