namespace Proctor.Masking.Tests.Detection;

public class AddressDetectionTests
{
    [Theory]
    [InlineData("IBAN GB82 WEST 1234 5698 7654 32 please", "IBAN [IBAN] please")]
    [InlineData("DE89370400440532013000", "[IBAN]")]
    [InlineData("DE89370400440532013001", "DE89370400440532013001")]    // mod-97 fails
    [InlineData("DE8937040044053201300", "DE8937040044053201300")]      // one short for DE
    [InlineData("ZZ89370400440532013000", "ZZ89370400440532013000")]    // no such country
    public void Iban_CountryLengthAndMod97(string text, string expected) => Assert.Equal(expected, Masker.Redact(text));

    [Theory]
    [InlineData("mail jane.doe+bank@example.co.uk.", "mail [EMAIL].")]
    [InlineData("a@b", "a@b")]
    [InlineData("@handle", "@handle")]
    public void Email(string text, string expected) => Assert.Equal(expected, Masker.Redact(text));

    [Theory]
    [InlineData("peer 2001:db8::8a2e:370:7334 up", "peer [IP_ADDRESS] up")]
    [InlineData("at 10:30:00", "at 10:30:00")]
    [InlineData("mac 00:1A:2B:3C:4D:5E", "mac 00:1A:2B:3C:4D:5E")]
    [InlineData("\"recipient\": \"fe80::1\"", "\"recipient\": \"[IP_ADDRESS]\"")]
    public void Ipv6_MustParse(string text, string expected) => Assert.Equal(expected, Masker.Redact(text));
}
