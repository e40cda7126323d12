using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Proctor.Notifications.Signing;

/// <summary>
/// How a receiver knows a notice came from this gateway, unchanged and recently: HMAC-SHA256, keyed with the
/// webhook's secret, over the timestamp header's text, a dot and the body's exact bytes, sent as
/// <c>X-Proctor-Signature: v1=&lt;lower-case hex&gt;</c> (the scheme of Slack's and Stripe's request signing).
/// The timestamp is signed so that a captured request cannot be replayed later; receivers refuse one older than a
/// few minutes. <c>v1</c> names the scheme, so that another can be sent beside it later.
/// </summary>
internal static class WebhookSignature
{
    public const string SignatureHeader = "X-Proctor-Signature";

    public const string TimestampHeader = "X-Proctor-Timestamp";

    public const string Scheme = "v1";

    /// <summary>The timestamp header's value: whole seconds since the Unix epoch.</summary>
    public static string Timestamp(DateTimeOffset now) => now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>The signature header's value, <c>v1=</c> and 64 hex digits.</summary>
    public static string Sign(ReadOnlySpan<byte> secret, string timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
        hmac.AppendData(Encoding.ASCII.GetBytes(timestamp));
        hmac.AppendData("."u8);
        hmac.AppendData(body);
        return Scheme + "=" + Convert.ToHexStringLower(hmac.GetHashAndReset());
    }
}
