using System.Text.RegularExpressions;
using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests;

/// <summary>The examples in docs/configuration.md load as the document says.</summary>
public sealed partial class ConfigurationDocumentTests
{
    private static readonly string Document = File.ReadAllText(FindDocument());

    [Fact]
    public void CompleteExample_InTheDocument_Loads()
    {
        var model = Model(Blocks("yaml")[0], ConfigurationLoaderTests.CompleteEnvironment);

        Assert.Equal(["crm", "everything"], model.Upstreams.Keys.Order());
        Assert.Equal("approvals", Assert.Single(model.Notifications.Webhooks).Name);
    }

    [Fact]
    public void OverrideExamples_InTheDocument_ApplyToTheCompleteExample()
    {
        var overrides = Blocks("sh")[0]
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('#')[0].Trim())
            .Select(line => (Name: line[..line.IndexOf('=')], Value: line[(line.IndexOf('=') + 1)..]))
            .ToList();
        var environment = new Dictionary<string, string>(ConfigurationLoaderTests.CompleteEnvironment);
        foreach (var (name, value) in overrides)
        {
            environment[name] = value;
        }

        var model = Model(Blocks("yaml")[0], environment);

        Assert.Equal(new Uri("http://0.0.0.0:8080"), model.Gateway.Listen);
        Assert.Equal("Debug", model.Logging.Level);
        Assert.Equal("bank-a", ((HttpUpstreamModel)model.Upstreams["crm"]).Headers["X-Tenant"].Reveal());
        Assert.IsType<HttpUpstreamModel>(model.Upstreams["core-banking"]);
        Assert.Equal(["https://console.bank.example"], model.Gateway.AllowedOrigins);
    }

    [Fact]
    public void MaskingExample_InTheDocument_Loads()
    {
        var secrets = new Secrets.FakeSecretResolver("file", new Dictionary<string, string> { ["secrets/codenames.txt"] = "Nightjar" });
        var yaml = Blocks("yaml").Single(block => block.StartsWith("masking:", StringComparison.Ordinal)) + """
            upstreams:
              network-tools: { command: netmcp }
              bank: { command: bank-mcp }
            """;

        var masking = Model(yaml, secrets: secrets).Masking;

        Assert.Equal(3, masking.Rules.Count);
        Assert.Equal(["network-tools", "bank"], masking.Overrides.Select(o => o.Server));
        Assert.Equal(["Blue Harbor", "Nightjar"], Assert.Single(masking.DenyLists).Terms);
    }

    [Fact]
    public void NotificationsExample_InTheDocument_Loads()
    {
        var environment = new Dictionary<string, string>(ConfigurationLoaderTests.CompleteEnvironment);
        var secrets = new Configuration.Secrets.CompositeSecretResolver(
            new Configuration.Secrets.EnvironmentSecretResolver(environment),
            new Secrets.FakeSecretResolver("aws-sm", new Dictionary<string, string> { ["prod/proctor/siem-webhook"] = new string('s', 40) }));

        var notifications = Model(Blocks("yaml").Single(block => block.StartsWith("notifications:", StringComparison.Ordinal)), environment, secrets).Notifications;

        Assert.Equal(["approvals", "security"], notifications.Webhooks.Select(webhook => webhook.Name));
        Assert.True(notifications.Webhooks[0].Accepts("approval.expired"));
        Assert.False(notifications.Webhooks[0].Accepts("breakglass.opened"));
        Assert.Equal(12, notifications.Webhooks[1].MaxAttempts);
    }

    private static List<string> Blocks(string language) =>
        [.. CodeBlock().Matches(Document).Where(match => match.Groups["language"].Value == language).Select(match => match.Groups["body"].Value)];

    internal static string FindDocument()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "docs", "configuration.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/configuration.md was not found above the test output folder.");
    }

    [GeneratedRegex("^```(?<language>[a-z]+)\\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
