using System.Security.Cryptography;
using System.Text;
using Proctor.Notifications.Signing;

namespace Proctor.Notifications.Tests.Signing;

/// <summary>The signature as a receiver recomputes it: HMAC-SHA256(secret, timestamp + "." + body), hex, behind <c>v1=</c>.</summary>
public sealed class WebhookSignatureTests
{
    private const string Timestamp = "1785229200";
    private const string BodyText = "{\"text\":\"Approval requested\",\"proctor\":{\"id\":\"apr_7f3k2\"}}";
    private const string SecretText = "3f1c9a7e5b2d4f60a8c1e3b5d7f9a2c4";
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes(SecretText);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(BodyText);

    [Fact]
    public void Sign_KnownVector_MatchesAnIndependentHmac()
    {
        // Computed apart from the code under test: the string a receiver builds, through HMACSHA256.
        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Secret, Encoding.UTF8.GetBytes(Timestamp + "." + BodyText)));

        Assert.Equal(expected, WebhookSignature.Sign(Secret, Timestamp, Body));

        // The same vector from Python's hmac module (docs/notifications.md shows that receiver):
        // hmac.new(secret, b"1785229200." + body, hashlib.sha256).hexdigest()
        Assert.Equal("v1=d253d8a87e5a6505fd442b439024687cce1d84adc0560f6814b00e9a1d63e1ab", WebhookSignature.Sign(Secret, Timestamp, Body));
    }

    public static TheoryData<string, string, string> Tampered => new()
    {
        { "a byte of the body changed", SecretText, BodyText.Replace("apr_7f3k2", "apr_7f3k3", StringComparison.Ordinal) },
        { "a space added to the body", SecretText, BodyText + " " },
        { "another secret", "3f1c9a7e5b2d4f60a8c1e3b5d7f9a2c5", BodyText },
        { "the secret upper-cased", "3F1C9A7E5B2D4F60A8C1E3B5D7F9A2C4", BodyText },
    };

    [Theory]
    [MemberData(nameof(Tampered))]
    public void Sign_AnythingChanged_DoesNotVerify(string change, string secret, string body)
    {
        var sent = WebhookSignature.Sign(Secret, Timestamp, Body);

        var recomputed = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(Timestamp + "." + body)));

        Assert.False(sent == recomputed, change);
    }

    [Fact]
    public void Sign_AnotherTimestamp_DoesNotVerify()
    {
        // A captured request replayed with a fresh timestamp header fails: the timestamp is signed.
        Assert.NotEqual(WebhookSignature.Sign(Secret, Timestamp, Body), WebhookSignature.Sign(Secret, "1785229201", Body));
    }
}
