namespace Proctor.Masking.Tests.Detection;

public class NumberDetectionTests
{
    [Theory]
    [InlineData("card 4111 1111 1111 1111 on file", "card [CARD] on file")]
    [InlineData("paid with 4111-1111-1111-1111.", "paid with [CARD].")]
    [InlineData("amex 378282246310005", "amex [CARD]")]
    [InlineData("mc 5500 0000 0000 0004 ok", "mc [CARD] ok")]
    [InlineData("amex 3782 822463 10005", "amex [CARD]")]
    public void Card_LuhnValidWithIssuerPrefix_IsMasked(string text, string expected) => Assert.Equal(expected, Masker.Redact(text));

    [Theory]
    [InlineData("card 4111 1111 1111 1112")]          // Luhn fails
    [InlineData("id 1234567812345670")]               // Luhn passes, no issuer starts with 1
    [InlineData("x4111111111111111")]                 // glued to a word
    [InlineData("4111111111111111111111")]           // 22 digits
    public void Card_NotACard_IsLeftAlone(string text) => Assert.Equal(text, Masker.Redact(text));

    [Theory]
    [InlineData("SSN 123-45-6789", "SSN [SSN]")]
    [InlineData("her number is 123 45 6789", "her number is [SSN]")]
    [InlineData("123.45.6789", "[SSN]")]
    [InlineData("ssn: 123456789", "ssn: [SSN]")]
    [InlineData("social security number 123456789", "social security number [SSN]")]
    public void Ssn_ValidForms_AreMasked(string text, string expected) => Assert.Equal(expected, Masker.Redact(text));

    [Theory]
    [InlineData("000-12-3456")]
    [InlineData("666-12-3456")]
    [InlineData("900-12-3456")]
    [InlineData("123-00-4567")]
    [InlineData("123-45-0000")]
    [InlineData("123-45.6789")]       // mixed delimiters
    [InlineData("ref 123456789")]     // bare nine digits without context
    [InlineData("order 123-45-6789-01")]
    public void Ssn_InvalidOrWithoutContext_IsLeftAlone(string text) => Assert.Equal(text, Masker.Redact(text));

    [Theory]
    [InlineData("ITIN 912-70-1234", "ITIN [ITIN]")]
    [InlineData("912-94-1234", "[ITIN]")]
    [InlineData("itin 912701234", "itin [ITIN]")]
    public void Itin_InRange_IsMasked(string text, string expected) => Assert.Equal(expected, Masker.Redact(text));

    [Theory]
    [InlineData("912-40-1234")]
    [InlineData("912-93-1234")]
    public void Itin_GroupOutOfRange_IsLeftAlone(string text) => Assert.Equal(text, Masker.Redact(text));

    [Theory]
    [InlineData("EIN 12-3456789", "EIN [EIN]")]
    [InlineData("EIN 07-3456789", "EIN 07-3456789")]
    [InlineData("EIN 89-3456789", "EIN 89-3456789")]
    public void Ein_PrefixList_Decides(string text, string expected) => Assert.Equal(expected, Masker.Redact(text));

    [Theory]
    [InlineData("routing 021000021", "routing [ABA_ROUTING]")]
    [InlineData("ABA: 011000015", "ABA: [ABA_ROUTING]")]
    [InlineData("RTN#021000021.", "RTN#[ABA_ROUTING].")]
    [InlineData("routing 021000022", "routing 021000022")]   // checksum fails
    [InlineData("ref 021000021", "ref 021000021")]           // no context
    [InlineData("Contraband 021000021", "Contraband 021000021")] // "aba" inside a word is no context
    public void Aba_NeedsChecksumAndContext(string text, string expected) => Assert.Equal(expected, Masker.Redact(text));

    [Theory]
    [InlineData("account 12345678901", "account [BANK_ACCOUNT]")]
    [InlineData("acct: 1234-5678-9012", "acct: [BANK_ACCOUNT]")]
    [InlineData("order 12345678901", "order 12345678901")]
    [InlineData("account 1234567", "account 1234567")]
    public void BankAccount_NeedsContextAndLength(string text, string expected) => Assert.Equal(expected, Masker.Redact(text));

    [Theory]
    [InlineData("call (212) 555-0143", "call [PHONE]")]
    [InlineData("call 212-555-0143 now", "call [PHONE] now")]
    [InlineData("call +1 212 555 0143", "call +[PHONE]")]
    [InlineData("phone 2125550143", "phone [PHONE]")]
    [InlineData("123-456-7890", "123-456-7890")]   // area code cannot start with 1
    [InlineData("ts 2125550143", "ts 2125550143")] // bare ten digits without context
    public void Phone_NanpRules(string text, string expected) => Assert.Equal(expected, Masker.Redact(text));

    [Theory]
    [InlineData("from 10.0.12.7 today", "from [IP_ADDRESS] today")]
    [InlineData("256.1.1.1", "256.1.1.1")]
    [InlineData("version 10.0.19041.1", "version 10.0.19041.1")]
    [InlineData("build 1.2.3.4", "build 1.2.3.4")]
    [InlineData("v1.2.3.4", "v1.2.3.4")]
    public void Ipv4_ParsesOctets(string text, string expected) => Assert.Equal(expected, Masker.Redact(text));

    [Theory]
    [InlineData("DOB 1984-07-23", "DOB [DATE_OF_BIRTH]")]
    [InlineData("born 07/23/1984", "born [DATE_OF_BIRTH]")]
    [InlineData("due 07/23/1984", "due 07/23/1984")]
    [InlineData("date of birth 13/45/1984", "date of birth 13/45/1984")]
    public void DateOfBirth_NeedsContext(string text, string expected) => Assert.Equal(expected, Masker.Redact(text));
}
