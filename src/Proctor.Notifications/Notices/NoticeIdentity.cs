using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Proctor.Notifications.Notices;

/// <summary>
/// The idempotency key of a notice: derived from what the notice is about (kind, id, actor, when), not drawn at
/// random, so every retry of a delivery and every publication of the same event carries the same key, and a
/// receiver that keeps the keys it has seen drops duplicates.
/// </summary>
internal static class NoticeIdentity
{
    public static string Key(GatewayNotice notice)
    {
        // Fields joined with a character none of them can hold, so that no two notices share the text hashed.
        var text = string.Join('\n', notice.Kind, notice.Id, notice.Actor ?? "", notice.OccurredAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        return "ntc_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
    }
}
