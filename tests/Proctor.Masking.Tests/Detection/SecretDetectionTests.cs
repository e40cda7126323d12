using Proctor.Masking.Detection.Checks;
using Proctor.Masking.Tests.Corpus;

namespace Proctor.Masking.Tests.Detection;

public class SecretDetectionTests
{
    private static readonly string Jwt = Credentials.Jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"1234567890\"}", "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");

    [Fact]
    public void Crc32_StandardCheckValue() => Assert.Equal(0xCBF43926u, GitHubChecksum.Crc32("123456789"));

    [Theory]
    [InlineData("key AKIAIOSFODNN7EXAMPLE used", "key [AWS_ACCESS_KEY] used")]
    [InlineData("ASIAY34FZKBOKMUTVV7A", "[AWS_ACCESS_KEY]")]
    [InlineData("AKIAIOSFODNN7EXAMPL", "AKIAIOSFODNN7EXAMPL")]     // 19 characters
    [InlineData("Asia/Tokyo", "Asia/Tokyo")]
    public void AwsAccessKey(string text, string expected) => Assert.Equal(expected, Masker.Redact(text));

    [Theory]
    [InlineData("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key = [AWS_SECRET_KEY]")]
    [InlineData("value wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "value wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("secret aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "secret aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void AwsSecretKey_NeedsContextAndEntropy(string text, string expected) => Assert.Equal(expected, Masker.Redact(text));

    [Fact]
    public void Jwt_HeaderDecodesToJson_IsMasked() => Assert.Equal("token [JWT] end", Masker.Redact($"token {Jwt} end"));

    [Fact]
    public void Jwt_HeaderNotJson_IsLeftAlone()
    {
        var fake = Credentials.Jwt("{\"alg\":", "{\"sub\":1}", "sig");
        Assert.Equal(fake, Masker.Redact(fake));
    }

    [Fact]
    public void Pem_WholeBlockIsMasked() =>
        Assert.Equal("key:\n[PRIVATE_KEY]\nafter", Masker.Redact("key:\n" + Credentials.Pem("RSA ", "MIIEowIBAAKCAQEA\nq1w2e3r4") + "\nafter"));

    [Fact]
    public void Pem_Truncated_IsMaskedToTheEnd() =>
        Assert.Equal("key: [PRIVATE_KEY]", Masker.Redact("key: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg"));

    [Fact]
    public void Pem_PublicKey_IsLeftAlone()
    {
        var text = "-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----";
        Assert.Equal(text, Masker.Redact(text));
    }

    [Theory]
    [InlineData("ghp_")]
    [InlineData("gho_")]
    [InlineData("ghs_")]
    public void GitHubToken_ValidChecksum_IsMasked(string prefix) =>
        Assert.Equal("t [GITHUB_TOKEN]", Masker.Redact("t " + Credentials.GitHubToken(prefix, "16C7e42F292c6912E7710c838347Ae")));

    [Fact]
    public void GitHubToken_BadChecksum_IsLeftAlone()
    {
        var token = Credentials.GitHubToken("ghp_", "16C7e42F292c6912E7710c838347Ae");
        var tampered = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        Assert.Equal(tampered, Masker.Redact(tampered));
    }

    [Fact]
    public void GitHubFineGrainedToken_IsMasked() =>
        Assert.Equal("[GITHUB_TOKEN]", Masker.Redact("github_pat_11ABCDEFG0123456789abc_" + new string('x', 50) + "9"));

    [Theory]
    [InlineData("xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "[SLACK_TOKEN]")]
    [InlineData("xoxz-1234567890-1234567890123", "xoxz-1234567890-1234567890123")]
    public void SlackToken(string text, string expected) => Assert.Equal(expected, Masker.Redact(text));

    [Theory]
    [InlineData("Authorization: Bearer 8f14e45fceea167a5a36dedd4bea2543", "Authorization: Bearer [AUTH_HEADER]")]
    [InlineData("Authorization: Basic dXNlcjpwYXNzd29yZA==", "Authorization: Basic [AUTH_HEADER]")]
    [InlineData("Basic understanding of the bearer of bad news", "Basic understanding of the bearer of bad news")]
    public void AuthorizationValues(string text, string expected) => Assert.Equal(expected, Masker.Redact(text));

    [Fact]
    public void Bearer_WithJwt_IsReportedAsJwt() => Assert.Equal("Bearer [JWT]", Masker.Redact("Bearer " + Jwt));
}
