using Proctor.Configuration.Binding;
using Proctor.Configuration.Models;
using Proctor.Configuration.Models.Schema;
using Proctor.Configuration.Models.Secrets;

namespace Proctor.Configuration.Options;

/// <summary>
/// One entry of <c>upstreams:</c> as bound. Holds the keys of both kinds; which kind it is follows from
/// the key written (<c>command</c>: stdio, <c>url</c>: remote), and a rule refuses keys of the other kind.
/// </summary>
internal sealed class UpstreamOptions
{
    private const string CommandLine =
        ", and a command line is visible to every local user; pass the secret through env, e.g. env: { TOKEN: \"${env:TOKEN}\" }";

    [Setting("a program name or path", "\"npx\"", NoReferences = "; name the program itself"), StdioOnly]
    public string? Command { get; set; }

    [Setting("a list of arguments", "\"--stdio\"", ItemWhat = "an argument", SplitExample = true, NoReferences = CommandLine), StdioOnly]
    public IReadOnlyList<string> Args { get; set; } = [];

    [Setting("a mapping of variable names to values", "{ SOME_VAR: \"${env:SOME_VAR}\" }", Sensitive = true, Credential = true), StdioOnly]
    public IReadOnlyDictionary<string, SecretValue> Env { get; set; } = new OrderedDictionary<string, SecretValue>();

    [Setting("a folder path", "\"/srv/mcp\"", Format = ValueFormat.AbsolutePath, NoReferences = "; write the folder itself"), StdioOnly]
    public string? Cwd { get; set; }

    [Setting("a mapping", "{ initialBackoff: \"1s\", maxBackoff: \"30s\" }"), StdioOnly]
    public RestartOptions Restart { get; set; } = new();

    [Setting("a duration", "\"5s\""), StdioOnly]
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Null: <c>gateway.requestTimeout</c>.</summary>
    [Setting("a duration", "\"30s\"")]
    public TimeSpan? Timeout { get; set; }

    /// <summary>Callers must have authenticated with more than one factor (token <c>amr</c>).</summary>
    [Setting("true or false", "true")]
    public bool RequireMfa { get; set; }

    /// <summary>Callers must have authenticated at most this long ago (token <c>auth_time</c>).</summary>
    [Setting("a duration", "\"12h\"")]
    public TimeSpan? MaxAuthAge { get; set; }

    /// <summary>Scopes the caller's token must hold.</summary>
    [Setting("a list of scopes", "\"mcp:bank.read\"", ItemWhat = "a scope", SplitExample = true, Format = ValueFormat.Scope, Set = true)]
    public IReadOnlyList<string> RequiredScopes { get; set; } = [];

    /// <summary>The first definition seen of each tool is pinned, and a changed one is blocked until an admin accepts it (decision 0034).</summary>
    [Setting("true or false", "false")]
    public bool PinToolDefinitions { get; set; } = true;

    [Inline]
    public UpstreamLimits Limits { get; set; } = new();

    [Setting("a URL", "\"https://mcp.example.com/mcp\"", Format = ValueFormat.UpstreamUrl), HttpOnly]
    public ReferencedUrl? Url { get; set; }

    [Setting("a mapping of header names to values", "{ Authorization: \"Bearer ${env:CRM_TOKEN}\" }", Sensitive = true, Credential = true, OverrideKeys = OverrideKeys.Hyphens), HttpOnly]
    public IReadOnlyDictionary<string, SecretValue> Headers { get; set; } = new OrderedDictionary<string, SecretValue>();

    [Setting("auto, legacy or modern", "auto", Format = ValueFormat.Era), HttpOnly]
    public UpstreamEra Era { get; set; }

    [Setting("true or false", "false"), HttpOnly]
    public bool AllowLinkLocal { get; set; }

    [Setting("a mapping", "{ tokenUrl: \"https://login.example.com/oauth2/token\", clientId: \"proctor\", clientSecret: \"${env:CRM_CLIENT_SECRET}\" }", Key = "oauth"), HttpOnly]
    public UpstreamOAuthSettings? OAuth { get; set; }
}

/// <summary>An upstream's <c>restart:</c> back-off.</summary>
internal sealed class RestartOptions
{
    [Setting("a duration", "\"1s\"")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    [Setting("a duration", "\"30s\"")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>A key of local (stdio) upstreams only.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class StdioOnlyAttribute : Attribute;

/// <summary>A key of remote (Streamable HTTP) upstreams only.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class HttpOnlyAttribute : Attribute;
