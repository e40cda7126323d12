using Proctor.Configuration.Models;
using Proctor.Configuration.Models.Schema;

namespace Proctor.Configuration.Options;

/// <summary>
/// The configuration as bound: every value already typed, defaults in place. Sections that are the
/// model as they stand (gateway, logging, storage, identity) are bound into the model's own records;
/// upstreams and masking are bound into options the builder turns into the model's shape.
/// </summary>
internal sealed class ProctorOptions
{
    public const string RootWhat = "a mapping with the sections gateway, logging and upstreams";

    [Setting("a mapping", "{ listen: \"http://127.0.0.1:8080\" }")]
    public GatewaySettings Gateway { get; set; } = new();

    [Setting("a mapping", "{ level: \"Information\" }")]
    public LoggingSettings Logging { get; set; } = new();

    [Setting("a mapping", "{ path: \"proctor-data/proctor.db\" }")]
    public StorageSettings Storage { get; set; } = new();

    /// <summary>Null when the file has no <c>identity:</c> section: every caller is anonymous.</summary>
    [Setting("a mapping", "{ resource: \"https://gateway.example.com/mcp\", issuers: [\"https://login.example.com\"] }")]
    public IdentitySettings? Identity { get; set; }

    [Setting("a mapping", "{ rules: [" + MaskingOptions.RuleExample + "] }")]
    public MaskingOptions Masking { get; set; } = new();

    [Setting("a mapping", "{ publicUrl: \"https://proctor.bank.example\", webhooks: [" + WebhookSettings.Example + "] }")]
    public NotificationSettings Notifications { get; set; } = new();

    /// <summary>
    /// The policy (docs/policy.md): a document written inline, or <c>{ file: PATH }</c>. Read by Proctor.Policy,
    /// so bound as its YAML (decision 0024); null when absent: the built-in default (decision 0029).
    /// </summary>
    [Setting("a policy document (rules, roles, timeWindows) or { file: PATH }", "{ file: \"policy.yaml\" }")]
    public YamlDotNet.RepresentationModel.YamlNode? Policy { get; set; }

    /// <summary>Holding calls that need approval (docs/approvals.md).</summary>
    [Setting("a mapping", "{ holdTime: \"20s\" }")]
    public ApprovalSettings Approvals { get; set; } = new();

    /// <summary>Just-in-time grants and break-glass (docs/access.md).</summary>
    [Setting("a mapping", "{ maxDuration: \"8h\" }")]
    public AccessSettings Access { get; set; } = new();

    /// <summary>The web console's sign-in (docs/console.md).</summary>
    [Setting("a mapping", "{ clientId: \"proctor-console\" }")]
    public ConsoleSettings Console { get; set; } = new();

    /// <summary>Upstreams in the order written.</summary>
    [Setting("a mapping", "{ crm: { url: \"https://mcp.example.com/mcp\" } }", ItemWhat = "the upstream's settings",
        ItemExample = "{ url: \"https://mcp.example.com/mcp\" } or { command: \"npx\" }", OverrideKeys = OverrideKeys.LowerHyphens)]
    public IReadOnlyDictionary<string, UpstreamOptions> Upstreams { get; set; } = new OrderedDictionary<string, UpstreamOptions>();
}
