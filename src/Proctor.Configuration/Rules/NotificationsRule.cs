using System.Text.RegularExpressions;
using Proctor.Configuration.Binding;
using Proctor.Configuration.Formats;
using Proctor.Configuration.Options;
using Proctor.Configuration.Reading;

namespace Proctor.Configuration.Rules;

/// <summary>
/// <c>notifications:</c> a public URL for the links once a webhook exists; webhook names that can stand in logs and
/// metrics, once each; secrets referenced, never written, and long enough to key HMAC-SHA256; Slack incoming-webhook
/// URLs (credentials themselves) referenced too. Messages never show a URL or secret as resolved.
/// </summary>
internal sealed partial class NotificationsRule : IConfigurationRule
{
    private const string Section = "notifications";

    public void Check(ProctorOptions options, BindingContext context)
    {
        var notifications = options.Notifications;
        if (notifications.Webhooks.Count > 0 && notifications.PublicUrl is null && !context.IsRefused($"{Section}.publicUrl"))
        {
            context.Add($"{Section}.publicUrl", "is required once a webhook is configured: notices link approvers to the gateway; write the address they open it at, e.g. publicUrl: \"https://proctor.bank.example\"");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < notifications.Webhooks.Count; i++)
        {
            var (webhook, path) = (notifications.Webhooks[i], KeyPath.Item($"{Section}.webhooks", i));
            if (webhook.Name is { } name)
            {
                if (!Syntax().IsMatch(name))
                {
                    context.Add($"{path}.name", $"{DisplayText.Quote(name)} is not a valid webhook name; names stand in logs and metrics, so they may hold only lower-case letters, digits and hyphens, 1 to 32 characters, starting with a letter or digit; use {DisplayText.Quote(UpstreamNameRule.Suggest(name))}");
                }
                else if (!seen.Add(name))
                {
                    context.Add($"{path}.name", $"{DisplayText.Quote(name)} names another webhook too; give each webhook its own name");
                }
            }

            var variable = $"{(webhook.Name is { Length: > 0 } n ? UpstreamNameRule.Suggest(n) : "approvals").ToUpperInvariant().Replace('-', '_')}_WEBHOOK";
            if (context.LiteralSecrets.Contains($"{path}.secret"))
            {
                context.Add($"{path}.secret", $"a secret must not be written into the configuration; reference it instead, e.g. \"${{env:{variable}_SECRET}}\"");
            }
            else if (webhook.Secret is { } secret && secret.Reveal().Length < Models.WebhookSettings.MinSecretLength)
            {
                context.Add($"{path}.secret", $"resolves to fewer than {Models.WebhookSettings.MinSecretLength} characters, too short to key the signature; use a random secret of at least {Models.WebhookSettings.MinSecretLength} characters, e.g. one made with openssl rand -hex 32");
            }

            if (webhook.Url is { } url && context.LiteralSecrets.Contains($"{path}.url")
                && Uri.TryCreate(url.Reveal(), UriKind.Absolute, out var address) && address.Host.Equals("hooks.slack.com", StringComparison.OrdinalIgnoreCase))
            {
                context.Add($"{path}.url", $"is a Slack incoming-webhook URL, which is itself a credential (anyone holding it can post to the channel); reference it instead, e.g. \"${{env:{variable}_URL}}\"");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$")]
    private static partial Regex Syntax();
}
