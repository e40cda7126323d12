using Proctor.Configuration.Models;

namespace Proctor.Notifications.Notices;

/// <summary>
/// What <see cref="INoticeSink.Publish"/> refuses: a notice the caller built wrong. Identifiers hold no control
/// characters (they are joined with one to derive the idempotency key, and stand in chat messages).
/// </summary>
internal static class NoticeValidation
{
    public static void Check(GatewayNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (!NoticeKinds.IsKnown(notice.Kind))
        {
            throw new ArgumentException($"\"{notice.Kind}\" is not a notice kind; use one of NoticeKinds ({string.Join(", ", NoticeKinds.All)}).", nameof(notice));
        }

        Identifier(notice.Id, "Id", required: true);
        Identifier(notice.Requester, "Requester", required: true);
        Identifier(notice.Server, "Server", required: true);
        Identifier(notice.Tool, "Tool", required: false);
        Identifier(notice.RuleId, "RuleId", required: false);
        Identifier(notice.Actor, "Actor", required: false);
        ArgumentNullException.ThrowIfNull(notice.Summary);
        if (!notice.ActPath.StartsWith('/') || notice.ActPath.StartsWith("//", StringComparison.Ordinal) || notice.ActPath.Any(char.IsControl) || notice.ActPath.Contains('\\'))
        {
            throw new ArgumentException($"ActPath \"{notice.ActPath}\" is not a path on the gateway; use one starting with a single /, e.g. /api/approvals/{notice.Id}.", nameof(notice));
        }
    }

    private static void Identifier(string? value, string name, bool required)
    {
        if (value is null ? required : value.Length == 0 || value.Any(char.IsControl))
        {
            throw new ArgumentException($"The notice's {name} is {(value is null ? "missing" : "empty or holds control characters")}; pass the identifier as the ledger records it.", name);
        }
    }
}
