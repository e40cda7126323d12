using Proctor.Configuration.Models;
using Proctor.Configuration.Reading;

namespace Proctor.Configuration.Formats;

/// <summary>
/// Values of the <c>notifications:</c> section. A webhook URL may itself be a credential (a Slack incoming-webhook
/// URL is), so its messages never quote it, not even as written; the public URL is quoted like any other.
/// </summary>
internal static class NotificationFormats
{
    private const string HttpOnLoopback = "https is required; plain http is accepted only for 127.0.0.1, [::1] and localhost";

    /// <param name="resolved">The URL with its references resolved: what will be called. Never put into a message.</param>
    public static bool WebhookUrl(string resolved, out Uri url, out string? problem)
    {
        problem = !Uri.TryCreate(resolved, UriKind.Absolute, out url!) || url.Scheme is not ("http" or "https") || url.Host.Length == 0
            ? "is not an http or https URL (not shown: it may hold a credential); use the receiver's address, e.g. \"${env:APPROVALS_WEBHOOK_URL}\" with APPROVALS_WEBHOOK_URL=https://hooks.example.com/proctor"
            : url.UserInfo.Length > 0
                ? "has credentials in it (user:password@); remove them: the receiver checks the X-Proctor-Signature header instead"
                : url.Fragment.Length > 0
                    ? "has a fragment (#…), which is never sent to a server; remove it"
                    : url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback
                        ? $"uses plain http on a host that is not this machine: notices and their signatures would cross the network in clear; {HttpOnLoopback}"
                        : null;
        return problem is null;
    }

    public static bool PublicUrl(string text, string example, out Uri url, out string? problem)
    {
        var quoted = DisplayText.Quote(text);
        problem = !Uri.TryCreate(text, UriKind.Absolute, out url!) || url.Scheme is not ("http" or "https") || url.Host.Length == 0
            ? $"{quoted} is not an absolute http or https URL; use the address approvers open the gateway at, e.g. {example}"
            : url.UserInfo.Length > 0 || url.Query.Length > 0 || url.Fragment.Length > 0
                ? $"{quoted} has credentials, a query or a fragment; write the gateway's base address only, e.g. {example}"
                : url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback
                    ? $"{quoted} uses plain http on a host that is not this machine: approvers would follow links in clear; {HttpOnLoopback}"
                    : null;
        return problem is null;
    }

    /// <summary>A kind or a pattern that selects at least one kind, so that a typo cannot silence a webhook.</summary>
    public static bool NoticeKind(string text, out string? problem)
    {
        if (NoticeKinds.All.Any(kind => NoticeKinds.Matches(text, kind)))
        {
            problem = null;
            return true;
        }

        var closest = KeySuggestion.Closest(text, [.. NoticeKinds.All]);
        problem = closest is null
            ? $"{DisplayText.Quote(text)} selects no notice kind; use one of {string.Join(", ", NoticeKinds.All)}, or a pattern such as \"approval.*\""
            : $"{DisplayText.Quote(text)} selects no notice kind; did you mean \"{closest}\"?";
        return false;
    }
}
