using Proctor.Configuration.Models.Schema;

namespace Proctor.Configuration.Models;

/// <summary>
/// The <c>notifications:</c> section: where the gateway tells people that something waits for them (an approval, a
/// grant, a break-glass review), docs/notifications.md. Notices are a courtesy, not evidence: the ledger records
/// every request and decision whether or not a notice reached anyone.
/// </summary>
public sealed record NotificationSettings
{
    /// <summary>
    /// The address approvers reach the gateway at (behind any proxy): links in notices are built on it, so it is
    /// required once a webhook is configured. In the model it has no query or fragment.
    /// </summary>
    [Setting("a URL", "\"https://proctor.bank.example\"", Format = ValueFormat.PublicUrl, NoReferences = "; write the URL itself")]
    public Uri? PublicUrl { get; init; }

    /// <summary>Receivers, in the order written; each gets every notice its <see cref="WebhookSettings.Events"/> select.</summary>
    [Setting("a list", WebhookSettings.Example, ItemWhat = "a webhook", OverrideExample = "URL")]
    public IReadOnlyList<WebhookSettings> Webhooks { get; init; } = [];
}
