using System.Text;

namespace Proctor.Notifications.Payloads;

/// <summary>
/// Slack's mrkdwn, for text the gateway composes around identifiers. <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> are
/// escaped as Slack requires, so no value can become a link (<c>&lt;https://evil|Approve&gt;</c>) or a mention
/// (<c>&lt;!channel&gt;</c>); free text (the summary) is never put in mrkdwn at all, only in <c>plain_text</c>.
/// </summary>
internal static class Mrkdwn
{
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>") < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    /// <summary>A link; the URL is one the gateway built (no <c>&lt;</c>, <c>&gt;</c> or spaces), with <c>|</c> percent-encoded since it ends the URL part.</summary>
    public static string Link(Uri url, string label) => $"<{url.AbsoluteUri.Replace("|", "%7C", StringComparison.Ordinal)}|{Escape(label)}>";
}
