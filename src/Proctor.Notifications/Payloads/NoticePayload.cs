using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Proctor.Configuration.Models;
using Proctor.Notifications.Notices;

namespace Proctor.Notifications.Payloads;

/// <summary>
/// The JSON body of a notice: Slack-compatible (a <c>text</c> fallback and Block Kit <c>blocks</c>: the facts as
/// mrkdwn, the summary as <c>plain_text</c>, a button to act) and, for every other receiver, the same facts as
/// fields under <c>proctor</c> (docs/notifications.md). Rendered once per notice; every webhook and every retry
/// sends the same bytes.
/// </summary>
internal static class NoticePayload
{
    /// <summary>The version of the <c>proctor</c> object; a change that could break a receiver gets a new one.</summary>
    public const int Version = 1;

    public static byte[] Render(GatewayNotice notice, string noticeId, string summary, Uri link)
    {
        var headline = Headline(notice.Kind);
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("text", $"{headline}: {Mrkdwn.Escape(notice.Requester)}, {Mrkdwn.Escape(Target(notice))} ({Mrkdwn.Escape(notice.Id)})");
            json.WriteStartArray("blocks");
            Section(json, "mrkdwn", Facts(notice, headline));
            if (summary.Length > 0)
            {
                Section(json, "plain_text", summary);
            }

            Actions(json, link, notice.Kind);
            Context(json, $"{Mrkdwn.Escape(notice.Id)} · {Timestamp(notice.OccurredAt)} · {Mrkdwn.Link(link, link.Host)}");
            json.WriteEndArray();
            Structured(json, notice, noticeId, summary, link);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The first line a person reads, per kind (<see cref="NoticeKinds"/>).</summary>
    public static string Headline(string kind) => kind switch
    {
        NoticeKinds.ApprovalRequested => "Approval requested",
        NoticeKinds.ApprovalApproved => "Approved",
        NoticeKinds.ApprovalDenied => "Denied",
        NoticeKinds.ApprovalExpired => "Approval expired",
        NoticeKinds.GrantRequested => "Access requested",
        NoticeKinds.GrantApproved => "Access granted",
        NoticeKinds.GrantDenied => "Access request denied",
        NoticeKinds.GrantRevoked => "Access revoked",
        NoticeKinds.GrantExpired => "Access expired",
        NoticeKinds.BreakGlassOpened => "Break-glass access opened",
        NoticeKinds.ReviewOpened => "Review opened",
        NoticeKinds.ReviewClosed => "Review closed",
        _ => throw new ArgumentException($"\"{kind}\" is not a notice kind.", nameof(kind)),
    };

    private static string Facts(GatewayNotice notice, string headline)
    {
        var lines = new List<string>(5)
        {
            $"*{headline}*",
            $"*Requester:* {Mrkdwn.Escape(notice.Requester)}",
            $"*Target:* {Mrkdwn.Escape(Target(notice))}",
        };
        if (notice.RuleId is { } rule)
        {
            lines.Add($"*Rule:* {Mrkdwn.Escape(rule)}");
        }

        if (notice.Actor is { } actor)
        {
            lines.Add($"*By:* {Mrkdwn.Escape(actor)}");
        }

        return string.Join('\n', lines);
    }

    private static string Target(GatewayNotice notice) => notice.Tool is { } tool ? $"{notice.Server}/{tool}" : notice.Server;

    private static void Section(Utf8JsonWriter json, string type, string text)
    {
        json.WriteStartObject();
        json.WriteString("type", "section");
        json.WriteStartObject("text");
        json.WriteString("type", type);
        json.WriteString("text", text);
        if (type == "plain_text")
        {
            json.WriteBoolean("emoji", false);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Actions(Utf8JsonWriter json, Uri link, string kind)
    {
        json.WriteStartObject();
        json.WriteString("type", "actions");
        json.WriteStartArray("elements");
        json.WriteStartObject();
        json.WriteString("type", "button");
        json.WriteStartObject("text");
        json.WriteString("type", "plain_text");
        json.WriteString("text", kind is NoticeKinds.ApprovalRequested or NoticeKinds.GrantRequested or NoticeKinds.ReviewOpened or NoticeKinds.BreakGlassOpened ? "Review" : "Open");
        json.WriteEndObject();
        json.WriteString("url", link.AbsoluteUri);
        json.WriteString("action_id", "proctor-open");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Context(Utf8JsonWriter json, string text)
    {
        json.WriteStartObject();
        json.WriteString("type", "context");
        json.WriteStartArray("elements");
        json.WriteStartObject();
        json.WriteString("type", "mrkdwn");
        json.WriteString("text", text);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Structured(Utf8JsonWriter json, GatewayNotice notice, string noticeId, string summary, Uri link)
    {
        json.WriteStartObject("proctor");
        json.WriteNumber("version", Version);
        json.WriteString("noticeId", noticeId);
        json.WriteString("kind", notice.Kind);
        json.WriteString("id", notice.Id);
        json.WriteString("occurredAt", Timestamp(notice.OccurredAt));
        json.WriteString("requester", notice.Requester);
        json.WriteString("actor", notice.Actor);
        json.WriteString("server", notice.Server);
        json.WriteString("tool", notice.Tool);
        json.WriteString("ruleId", notice.RuleId);
        json.WriteString("summary", summary);
        json.WriteString("link", link.AbsoluteUri);
        json.WriteEndObject();
    }

    /// <summary>RFC 3339 in UTC with milliseconds.</summary>
    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
