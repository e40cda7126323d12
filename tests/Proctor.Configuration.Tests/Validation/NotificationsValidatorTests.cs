using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Validation;

/// <summary><c>notifications:</c> the public URL links are built on, and webhooks with their URL, secret and events.</summary>
public sealed class NotificationsValidatorTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private const string SlackPath = "T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX";

    private static readonly Dictionary<string, string> Variables = Environment(
        ("HOOK_SECRET", Secret),
        ("SHORT_SECRET", "too-short"),
        ("HOOK_URL", "https://hooks.example.com/proctor"),
        ("PLAIN_URL", "http://hooks.example.com/proctor?token=" + SlackPath),
        ("SLACK_URL", "https://hooks.slack.com/services/" + SlackPath));

    private static string Yaml(string webhook, string publicUrl = "\"https://proctor.bank.example\"") => $$"""
        notifications:
          publicUrl: {{publicUrl}}
          webhooks:
            - {{webhook}}
        """;

    private static string Hook(string extra = "") => $"{{ name: approvals, url: \"${{env:HOOK_URL}}\", secret: \"${{env:HOOK_SECRET}}\"{extra} }}";

    [Fact]
    public void Webhook_Valid_IsInTheModel_WithDefaults_AndSecretsResolved()
    {
        var model = Model(Yaml(Hook()), Variables);

        var webhook = Assert.Single(model.Notifications.Webhooks);
        Assert.Equal(new Uri("https://proctor.bank.example"), model.Notifications.PublicUrl);
        Assert.Equal("approvals", webhook.Name);
        Assert.Equal("https://hooks.example.com/proctor", webhook.Url.Reveal());
        Assert.Equal("${env:HOOK_URL}", webhook.Url.Reference);
        Assert.Equal(Secret, webhook.Secret.Reveal());
        Assert.Empty(webhook.Events);
        Assert.Equal(TimeSpan.FromSeconds(10), webhook.Timeout);
        Assert.Equal(8, webhook.MaxAttempts);
        Assert.True(webhook.Accepts("review.closed"));
        Assert.DoesNotContain(Secret, webhook.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hooks.example.com", webhook.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Webhook_SecretsResolved_AreMaskedAsGatewaySecrets_AndHashedAsReferences()
    {
        var model = Model(Yaml(Hook()), Variables);
        var rotated = Model(Yaml(Hook()), new Dictionary<string, string>(Variables) { ["HOOK_SECRET"] = new string('z', 40) });

        Assert.Contains(Secret, model.Masking.GatewaySecrets);
        Assert.Contains("https://hooks.example.com/proctor", model.Masking.GatewaySecrets);
        Assert.Equal(model.Hash, rotated.Hash);
        Assert.NotEqual(Model("").Hash, model.Hash);
    }

    [Fact]
    public void Events_PatternsAndKinds_SelectWhatTheySay()
    {
        var webhook = Model(Yaml(Hook(", events: [\"approval.*\", \"breakglass.opened\", \"approval.*\"]")), Variables).Notifications.Webhooks[0];

        Assert.Equal(["approval.*", "breakglass.opened"], webhook.Events);
        Assert.True(webhook.Accepts("approval.requested"));
        Assert.True(webhook.Accepts("breakglass.opened"));
        Assert.False(webhook.Accepts("grant.requested"));
        Assert.False(webhook.Accepts("review.opened"));
    }

    [Fact]
    public void PublicUrl_Loopback_MayBePlainHttp()
    {
        foreach (var host in new[] { "127.0.0.1:8080", "localhost:8080", "[::1]:8080" })
        {
            Assert.Equal($"http://{host}/", Model(Yaml(Hook(), $"\"http://{host}\""), Variables).Notifications.PublicUrl!.AbsoluteUri);
        }
    }

    [Fact]
    public void Webhook_LoopbackReceiver_MayBePlainHttp()
    {
        var local = new Dictionary<string, string>(Variables) { ["HOOK_URL"] = "http://127.0.0.1:9000/hook" };

        Assert.Equal("http://127.0.0.1:9000/hook", Model(Yaml(Hook()), local).Notifications.Webhooks[0].Url.Reveal());
    }

    [Fact]
    public void Webhook_SetFromTheEnvironment_IsCheckedLikeTheFile()
    {
        var environment = new Dictionary<string, string>(Variables)
        {
            ["PROCTOR__NOTIFICATIONS__PUBLICURL"] = "https://proctor.bank.example",
            ["PROCTOR__NOTIFICATIONS__WEBHOOKS__0__NAME"] = "ops",
            ["PROCTOR__NOTIFICATIONS__WEBHOOKS__0__URL"] = "${env:HOOK_URL}",
            ["PROCTOR__NOTIFICATIONS__WEBHOOKS__0__SECRET"] = "${env:HOOK_SECRET}",
        };

        Assert.Equal("ops", Assert.Single(Model("", environment).Notifications.Webhooks).Name);
    }

    [Theory]
    [InlineData("{ url: \"${env:HOOK_URL}\", secret: \"${env:HOOK_SECRET}\" }", "notifications.webhooks[0].name: is required: it names the webhook in logs and metrics, e.g. name: approvals")]
    [InlineData("{ name: approvals, secret: \"${env:HOOK_SECRET}\" }", "notifications.webhooks[0].url: is required: the receiver's address, e.g. url: \"${env:APPROVALS_WEBHOOK_URL}\"")]
    [InlineData("{ name: approvals, url: \"${env:HOOK_URL}\" }", "notifications.webhooks[0].secret: is required: every notice is signed with it; reference a random secret shared with the receiver, e.g. secret: \"${env:APPROVALS_WEBHOOK_SECRET}\" (make one with openssl rand -hex 32)")]
    [InlineData("{ name: Approvals_Team, url: \"${env:HOOK_URL}\", secret: \"${env:HOOK_SECRET}\" }", "notifications.webhooks[0].name: \"Approvals_Team\" is not a valid webhook name; names stand in logs and metrics, so they may hold only lower-case letters, digits and hyphens, 1 to 32 characters, starting with a letter or digit; use \"approvals-team\"")]
    [InlineData("{ name: approvals, url: \"${env:PLAIN_URL}\", secret: \"${env:HOOK_SECRET}\" }", "notifications.webhooks[0].url: uses plain http on a host that is not this machine: notices and their signatures would cross the network in clear; https is required; plain http is accepted only for 127.0.0.1, [::1] and localhost")]
    [InlineData("{ name: approvals, url: \"ftp://hooks.example.com/x\", secret: \"${env:HOOK_SECRET}\" }", "notifications.webhooks[0].url: is not an http or https URL (not shown: it may hold a credential); use the receiver's address, e.g. \"${env:APPROVALS_WEBHOOK_URL}\" with APPROVALS_WEBHOOK_URL=https://hooks.example.com/proctor")]
    [InlineData("{ name: approvals, url: \"https://u:p@hooks.example.com/x\", secret: \"${env:HOOK_SECRET}\" }", "notifications.webhooks[0].url: has credentials in it (user:password@); remove them: the receiver checks the X-Proctor-Signature header instead")]
    [InlineData("{ name: approvals, url: \"https://hooks.example.com/x#top\", secret: \"${env:HOOK_SECRET}\" }", "notifications.webhooks[0].url: has a fragment (#…), which is never sent to a server; remove it")]
    [InlineData("{ name: approvals, url: \"${env:NOT_SET}\", secret: \"${env:HOOK_SECRET}\" }", "notifications.webhooks[0].url: environment variable NOT_SET is not set; set it or change the reference")]
    [InlineData("{ name: approvals, url: \"${env:HOOK_URL}\", secret: \"${env:SHORT_SECRET}\" }", "notifications.webhooks[0].secret: resolves to fewer than 32 characters, too short to key the signature; use a random secret of at least 32 characters, e.g. one made with openssl rand -hex 32")]
    [InlineData("{ name: approvals, url: \"${env:HOOK_URL}\", secret: \"" + Secret + "\" }", "notifications.webhooks[0].secret: a secret must not be written into the configuration; reference it instead, e.g. \"${env:APPROVALS_WEBHOOK_SECRET}\"")]
    [InlineData("{ name: approvals, url: \"${env:HOOK_URL}\", secret: [\"" + Secret + "\"] }", "notifications.webhooks[0].secret: expected a secret reference, found a list; use e.g. \"${env:APPROVALS_WEBHOOK_SECRET}\"")]
    [InlineData("{ name: approvals, url: \"${env:HOOK_URL}\", secret: \"${env:HOOK_SECRET}\", events: [\"approval.aproved\"] }", "notifications.webhooks[0].events[0]: \"approval.aproved\" selects no notice kind; did you mean \"approval.approved\"?")]
    [InlineData("{ name: approvals, url: \"${env:HOOK_URL}\", secret: \"${env:HOOK_SECRET}\", events: [\"payments.*\"] }", "notifications.webhooks[0].events[0]: \"payments.*\" selects no notice kind; use one of approval.requested, approval.approved, approval.denied, approval.expired, grant.requested, grant.approved, grant.denied, grant.revoked, grant.expired, breakglass.opened, review.opened, review.closed, or a pattern such as \"approval.*\"")]
    [InlineData("{ name: approvals, url: \"${env:HOOK_URL}\", secret: \"${env:HOOK_SECRET}\", timeout: \"10\" }", "notifications.webhooks[0].timeout: \"10\" is not a duration; use \"10s\"")]
    [InlineData("{ name: approvals, url: \"${env:HOOK_URL}\", secret: \"${env:HOOK_SECRET}\", maxAttempts: 0 }", "notifications.webhooks[0].maxAttempts: \"0\" is out of range; use a whole number from 1 to 20")]
    [InlineData("{ name: approvals, url: \"${env:HOOK_URL}\", secret: \"${env:HOOK_SECRET}\", retries: 3 }", "notifications.webhooks[0].retries: unknown key; expected one of name, url, secret, events, timeout, maxAttempts")]
    public void Webhook_Invalid_IsRefusedNamingTheKey(string webhook, string expected)
    {
        Assert.Equal(expected, Assert.Single(Errors(Yaml(webhook), Variables)));
    }

    [Fact]
    public void Webhook_LiteralSlackUrl_IsRefusedAsACredential_WithoutQuotingIt()
    {
        var errors = Errors(Yaml($"{{ name: ops-alerts, url: \"https://hooks.slack.com/services/{SlackPath}\", secret: \"${{env:HOOK_SECRET}}\" }}"), Variables);

        Assert.Equal("notifications.webhooks[0].url: is a Slack incoming-webhook URL, which is itself a credential (anyone holding it can post to the channel); reference it instead, e.g. \"${env:OPS_ALERTS_WEBHOOK_URL}\"", Assert.Single(errors));
        Assert.DoesNotContain(SlackPath, errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Webhook_SlackUrlReferenced_Loads()
    {
        Assert.Equal("https://hooks.slack.com/services/" + SlackPath, Model(Yaml("{ name: ops, url: \"${env:SLACK_URL}\", secret: \"${env:HOOK_SECRET}\" }"), Variables).Notifications.Webhooks[0].Url.Reveal());
    }

    [Fact]
    public void Webhook_Invalid_MessagesNeverShowTheResolvedUrlOrSecret()
    {
        // Every refusal of a webhook whose URL holds a token: the token appears in no message.
        var errors = Errors(Yaml("{ name: approvals, url: \"${env:PLAIN_URL}\", secret: \"${env:SHORT_SECRET}\" }", "\"ftp://x\""), Variables);

        Assert.Equal(3, errors.Length);
        Assert.All(errors, error => Assert.DoesNotContain(SlackPath, error, StringComparison.Ordinal));
        Assert.All(errors, error => Assert.DoesNotContain("too-short", error, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "notifications.publicUrl: is required once a webhook is configured: notices link approvers to the gateway; write the address they open it at, e.g. publicUrl: \"https://proctor.bank.example\"")]
    [InlineData("\"http://proctor.bank.example\"", "notifications.publicUrl: \"http://proctor.bank.example\" uses plain http on a host that is not this machine: approvers would follow links in clear; https is required; plain http is accepted only for 127.0.0.1, [::1] and localhost")]
    [InlineData("\"proctor.bank.example\"", "notifications.publicUrl: \"proctor.bank.example\" is not an absolute http or https URL; use the address approvers open the gateway at, e.g. \"https://proctor.bank.example\"")]
    [InlineData("\"https://proctor.bank.example/?x=1\"", "notifications.publicUrl: \"https://proctor.bank.example/?x=1\" has credentials, a query or a fragment; write the gateway's base address only, e.g. \"https://proctor.bank.example\"")]
    [InlineData("\"${env:PUBLIC_URL}\"", "notifications.publicUrl: secret references are resolved only in env, headers, url, oauth.clientSecret, webhook secrets and masking deny-list terms; write the URL itself")]
    public void PublicUrl_Invalid_IsRefusedNamingTheKey(string publicUrl, string expected)
    {
        Assert.Equal(expected, Assert.Single(Errors(Yaml(Hook(), publicUrl), Variables)));
    }

    [Fact]
    public void Webhooks_SameNameTwice_TheSecondIsRefused()
    {
        var yaml = Yaml(Hook()) + "\n    - " + Hook();

        Assert.Equal("notifications.webhooks[1].name: \"approvals\" names another webhook too; give each webhook its own name", Assert.Single(Errors(yaml, Variables)));
    }

    [Fact]
    public void Notifications_NoWebhook_NeedsNoPublicUrl_AndLeavesTheHashAlone()
    {
        var model = Model("notifications: {}\n");

        Assert.Empty(model.Notifications.Webhooks);
        Assert.Null(model.Notifications.PublicUrl);
        Assert.Equal(Model("").Hash, model.Hash);
    }
    [Fact]
    public void LoadNotifications_ReadsTheSectionOnly_WithItsSecretsResolved()
    {
        using var folder = new TemporaryFolder();
        var file = Path.Combine(folder.Path, "proctor.yaml");
        File.WriteAllText(file, Yaml(Hook()) + "\nupstreams: { crm: { url: \"https://crm.example.com/mcp\", headers: { Authorization: \"Bearer ${aws-ssm:/not/reachable}\" } } }\n");

        var (notifications, errors) = ConfigurationLoader.LoadNotifications(file, Variables);

        Assert.Empty(errors);
        var webhook = Assert.Single(notifications!.Webhooks);
        Assert.Equal("https://hooks.example.com/proctor", webhook.Url.Reveal());
        Assert.Equal(Secret, webhook.Secret.Reveal());
    }

    [Fact]
    public void LoadNotifications_SecretCannotBeResolved_RefusedNamingTheKey_NeverTheValue()
    {
        using var folder = new TemporaryFolder();
        var file = Path.Combine(folder.Path, "proctor.yaml");
        File.WriteAllText(file, Yaml(Hook()));

        var (notifications, errors) = ConfigurationLoader.LoadNotifications(file, Environment(("HOOK_URL", "https://hooks.example.com/proctor")));

        Assert.Null(notifications);
        var error = Assert.Single(errors);
        Assert.StartsWith("notifications.webhooks[0].secret", error.Key, StringComparison.Ordinal);
        Assert.DoesNotContain("hooks.example.com", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadNotifications_NoSection_NoWebhooks()
    {
        using var folder = new TemporaryFolder();
        var file = Path.Combine(folder.Path, "proctor.yaml");
        File.WriteAllText(file, "storage: { path: data/proctor.db }\n");

        var (notifications, errors) = ConfigurationLoader.LoadNotifications(file, Variables);

        Assert.Empty(errors);
        Assert.Empty(notifications!.Webhooks);
    }
}
