using Proctor.Configuration.Models.Schema;
using Proctor.Configuration.Models.Secrets;

namespace Proctor.Configuration.Models;

/// <summary>
/// One entry of <c>notifications.webhooks</c>: a receiver of signed JSON notices (Slack-compatible). <see cref="Url"/>
/// and <see cref="Secret"/> are secret values: a Slack incoming-webhook URL is itself a credential, so code MUST
/// name a webhook by <see cref="Name"/> in logs and metrics, never by its URL, and <see cref="ToString"/> prints neither.
/// </summary>
public sealed record WebhookSettings
{
    public const string Example = "{ name: approvals, url: \"${env:APPROVALS_WEBHOOK_URL}\", secret: \"${env:APPROVALS_WEBHOOK_SECRET}\" }";

    /// <summary>Shortest secret accepted once resolved: HMAC-SHA256 keys shorter than its 32-byte output weaken it (RFC 2104 §3).</summary>
    public const int MinSecretLength = 32;

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public const int DefaultMaxAttempts = 8;

    /// <summary>Names the webhook in logs, metrics (<c>webhook</c> tag) and messages.</summary>
    [Setting("a name", "approvals", NoReferences = "; write the name itself",
        Required = "is required: it names the webhook in logs and metrics, e.g. name: approvals")]
    public string Name { get; init; } = null!;

    /// <summary>Resolved: the address called. https, or http on 127.0.0.1/localhost only.</summary>
    [Setting("a URL", "\"${env:APPROVALS_WEBHOOK_URL}\"", Format = ValueFormat.WebhookUrl, Sensitive = true, Credential = true,
        Required = "is required: the receiver's address, e.g. url: \"${env:APPROVALS_WEBHOOK_URL}\"")]
    public SecretValue Url { get; init; } = null!;

    /// <summary>The HMAC-SHA256 key of the <c>X-Proctor-Signature</c> header, shared with the receiver.</summary>
    [Setting("a secret reference", "\"${env:APPROVALS_WEBHOOK_SECRET}\"", Sensitive = true, Credential = true,
        Required = "is required: every notice is signed with it; reference a random secret shared with the receiver, e.g. secret: \"${env:APPROVALS_WEBHOOK_SECRET}\" (make one with openssl rand -hex 32)")]
    public SecretValue Secret { get; init; } = null!;

    /// <summary>Kinds of notice sent (<see cref="NoticeKinds"/>), or patterns over them (<c>approval.*</c>); empty: every kind.</summary>
    [Setting("a list of notice kinds", "\"approval.*\"", ItemWhat = "a notice kind or pattern", Format = ValueFormat.NoticeKind, Set = true)]
    public IReadOnlyList<string> Events { get; init; } = [];

    /// <summary>How long one attempt may take, connection to response headers.</summary>
    [Setting("a duration", "\"10s\"")]
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Attempts per notice, the first included, before it is given up (logged and counted).</summary>
    [Setting("a whole number", "8", Minimum = "1", Maximum = "20")]
    public int MaxAttempts { get; init; } = DefaultMaxAttempts;

    /// <summary>Whether a notice of <paramref name="kind"/> goes to this webhook.</summary>
    public bool Accepts(string kind) => Events.Count == 0 || Events.Any(pattern => NoticeKinds.Matches(pattern, kind));

    public override string ToString() => $"WebhookSettings {{ Name = {Name}, Url = {Url?.Reference}, Events = [{string.Join(", ", Events)}] }}";
}
