using System.Text;
using Proctor.Configuration.Building;
using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Building;

public sealed class CanonicalFormTests
{
    private static readonly Dictionary<string, string> Secrets = ConfigurationLoaderTests.CompleteEnvironment;

    private static string HashOf(string yaml, IReadOnlyDictionary<string, string>? environment = null) =>
        Model(yaml, environment ?? Secrets).Hash;

    [Fact]
    public void Hash_SameConfigurationLoadedTwice_IsTheSame()
    {
        Assert.Equal(HashOf(ConfigurationLoaderTests.CompleteExample), HashOf(ConfigurationLoaderTests.CompleteExample));
    }

    [Fact]
    public void Hash_SameSettingsWrittenDifferently_IsTheSame()
    {
        var written = HashOf("""
            gateway: { requestTimeout: "60s", maxRequestBytes: "4MiB", allowedOrigins: ["http://b.example", "http://a.example"] }
            upstreams:
              x: { command: npx, env: { B: "2", A: "1" } }
              y: { url: "https://y.example/mcp", era: auto }
            """);
        var rewritten = HashOf("""
            # comments, key order, equivalent units and defaults spelled out change nothing
            upstreams:
              y:
                era: AUTO
                url: "https://y.example/mcp"
                allowLinkLocal: false
              x:
                env: { A: "1", B: "2" }
                command: npx
                restart: { initialBackoff: 1000ms }
            logging: { level: information }
            gateway:
              allowedOrigins: ["HTTP://A.EXAMPLE", "http://b.example"]
              maxRequestBytes: 4194304
              requestTimeout: "1m"
            """);

        Assert.Equal(written, rewritten);
    }

    [Theory]
    [InlineData("listen: \"http://127.0.0.1:8080\"", "listen: \"http://127.0.0.1:8081\"")]
    [InlineData("allowedOrigins: [\"http://localhost:6274\"]", "allowedOrigins: [\"http://localhost:6275\"]")]
    [InlineData("maxRequestBytes: \"4MiB\"", "maxRequestBytes: \"5MiB\"")]
    [InlineData("requestTimeout: \"60s\"", "requestTimeout: \"61s\"")]
    [InlineData("shutdownTimeout: \"10s\"", "shutdownTimeout: \"11s\"")]
    [InlineData("maxSessions: 10000", "maxSessions: 10001")]
    [InlineData("maxSessionsPerIdentity: 100", "maxSessionsPerIdentity: 101")]
    [InlineData("maxConcurrentCallsPerIdentity: 64", "maxConcurrentCallsPerIdentity: 65")]
    [InlineData("maxCallsPerSecondPerIdentity: 500", "maxCallsPerSecondPerIdentity: 501")]
    [InlineData("level: \"Information\"", "level: \"Debug\"")]
    [InlineData("\"stdio\"]", "\"stdio\", \"--verbose\"]")]
    [InlineData("SOME_VAR: \"${env:SOME_VAR}\"", "SOME_VAR: \"${env:CRM_TOKEN}\"")]
    [InlineData("cwd: \"/srv/mcp\"", "cwd: \"/srv/mcp2\"")]
    [InlineData("timeout: \"30s\"", "timeout: \"31s\"")]
    [InlineData("initialBackoff: \"1s\"", "initialBackoff: \"2s\"")]
    [InlineData("shutdownGrace: \"5s\"", "shutdownGrace: \"6s\"")]
    [InlineData("url: \"http://127.0.0.1:9000/mcp\"", "url: \"http://127.0.0.1:9001/mcp\"")]
    [InlineData("Authorization: \"Bearer ${env:CRM_TOKEN}\"", "Authorization: \"Bearer ${env:SOME_VAR}\"")]
    [InlineData("era: auto", "era: modern")]
    [InlineData("allowLinkLocal: false", "allowLinkLocal: true")]
    [InlineData("  crm:", "  crm2:")]
    public void Hash_AnyChangedSetting_Differs(string original, string changed)
    {
        var yaml = ConfigurationLoaderTests.CompleteExample;
        Assert.Contains(original, yaml, StringComparison.Ordinal);

        Assert.NotEqual(HashOf(yaml), HashOf(yaml.Replace(original, changed, StringComparison.Ordinal)));
    }

    [Fact]
    public void Hash_LimitsWrittenAtTheirDefaults_SameAsNotWritten()
    {
        Assert.Equal(
            HashOf("upstreams: { a: { command: npx } }"),
            HashOf("upstreams: { a: { command: npx, maxMessageBytes: 16MiB, maxCallsInFlight: 1024, maxQueuedMessages: 256, pingInterval: 30s } }"));
    }

    [Theory]
    [InlineData("maxMessageBytes: 8MiB")]
    [InlineData("maxCallsInFlight: 10")]
    [InlineData("maxQueuedMessages: 10")]
    [InlineData("pingInterval: 10s")]
    public void Hash_LimitChanged_Differs(string limit)
    {
        Assert.NotEqual(HashOf("upstreams: { a: { command: npx } }"), HashOf($"upstreams: {{ a: {{ command: npx, {limit} }} }}"));
    }

    [Fact]
    public void Hash_SecretPlaintextChanged_IsTheSame()
    {
        var before = HashOf(ConfigurationLoaderTests.CompleteExample, Environment(("SOME_VAR", "one"), ("CRM_TOKEN", "old-token")));
        var after = HashOf(ConfigurationLoaderTests.CompleteExample, Environment(("SOME_VAR", "two"), ("CRM_TOKEN", "rotated-token")));

        Assert.Equal(before, after);
    }

    [Fact]
    public void Write_SecretsAndReferencedUrl_AppearOnlyAsReferences()
    {
        var model = Model("""
            upstreams:
              crm:
                url: "https://crm.example.com/mcp?key=${env:CRM_KEY}"
                headers: { Authorization: "Bearer ${env:CRM_TOKEN}" }
            """, Environment(("CRM_KEY", "plain-key"), ("CRM_TOKEN", "plain-token")));

        var canonical = model.CanonicalJson;

        Assert.DoesNotContain("plain-", canonical, StringComparison.Ordinal);
        Assert.Contains("${env:CRM_KEY}", canonical, StringComparison.Ordinal);
        Assert.Contains("${env:CRM_TOKEN}", canonical, StringComparison.Ordinal);
        Assert.StartsWith("{\"format\":\"proctor.configuration/3\",", canonical, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_EmptyConfiguration_IsAFixedValue()
    {
        // Pinned: a change here changes the version every ledger record names, so it must be deliberate
        // (and come with a new ConfigurationHash.Version). Every key at its default is left out.
        Assert.Equal("{\"format\":\"proctor.configuration/3\"}", Model("").CanonicalJson);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Model("").CanonicalJson))), Model("").Hash);
    }

    [Fact]
    public void Defaults_AsHashed_ArePinned()
    {
        // A key at its default is not hashed, so a changed default would change behaviour under an
        // unchanged hash. Adding a key changes this text (update it); changing a default MUST also
        // change ConfigurationHash.Version, so that every hash after it names the new meaning.
        var defaults = ConfigurationHash.Defaults();

        Assert.Equal(PinnedDefaults, defaults);
    }

    private const string PinnedDefaults =
        "{\"AccessSettings\":{\"breakGlassMaxDuration\":3600000,\"maxDuration\":28800000,\"requestValidity\":86400000},\"ApprovalSettings\":{\"holdTime\":20000,\"maxHeldCalls\":100,\"validity\":3600000},\"ConsoleSettings\":{\"clientId\":null,\"idleTimeout\":1800000,\"issuer\":null,\"scopes\":[\"openid\"],\"tokenSignIn\":false},\"CustomPatternOptions\":{\"name\":null,\"pattern\":null},\"DenyListOptions\":{\"name\":null,\"terms\":[]},\"GatewaySettings\":{\"allowedOrigins\":[],\"listen\":\"http://127.0.0.1:8080/\",\"maxCallsPerSecondPerIdentity\":500,\"maxConcurrentCallsPerIdentity\":64,\"maxReplayBytesPerSession\":262144,\"maxReplayEventsPerSession\":256,\"maxRequestBytes\":4194304,\"maxSessions\":10000,\"maxSessionsPerIdentity\":100,\"requestTimeout\":60000,\"shutdownTimeout\":10000},\"IdentitySettings\":{\"agentKeys\":true,\"algorithms\":[\"ES256\",\"ES384\",\"ES512\",\"PS256\",\"PS384\",\"PS512\",\"RS256\",\"RS384\",\"RS512\"],\"clockSkew\":30000,\"groupsClaim\":\"groups\",\"issuerKeys\":{},\"issuers\":[],\"resource\":null,\"roles\":{},\"scopesSupported\":[]},\"LoggingSettings\":{\"level\":\"Information\"},\"MaskingOptions\":{\"customPatterns\":[],\"denyLists\":[],\"overrides\":[],\"rules\":[],\"timeBudget\":1000},\"MaskingOverrideOptions\":{\"rules\":[],\"server\":null,\"tool\":null},\"MaskingRuleOptions\":{\"entity\":null,\"field\":null,\"keepLast\":4,\"path\":null,\"revealTo\":[],\"strategy\":\"redact\"},\"NotificationSettings\":{\"publicUrl\":null,\"webhooks\":[]},\"ProctorOptions\":{\"access\":{\"breakGlassMaxDuration\":3600000,\"maxDuration\":28800000,\"requestValidity\":86400000},\"approvals\":{\"holdTime\":20000,\"maxHeldCalls\":100,\"validity\":3600000},\"console\":{\"clientId\":null,\"idleTimeout\":1800000,\"issuer\":null,\"scopes\":[\"openid\"],\"tokenSignIn\":false},\"gateway\":{\"allowedOrigins\":[],\"listen\":\"http://127.0.0.1:8080/\",\"maxCallsPerSecondPerIdentity\":500,\"maxConcurrentCallsPerIdentity\":64,\"maxReplayBytesPerSession\":262144,\"maxReplayEventsPerSession\":256,\"maxRequestBytes\":4194304,\"maxSessions\":10000,\"maxSessionsPerIdentity\":100,\"requestTimeout\":60000,\"shutdownTimeout\":10000},\"identity\":null,\"logging\":{\"level\":\"Information\"},\"masking\":{\"customPatterns\":[],\"denyLists\":[],\"overrides\":[],\"rules\":[],\"timeBudget\":1000},\"notifications\":{\"publicUrl\":null,\"webhooks\":[]},\"policy\":null,\"storage\":{\"lockTimeout\":5000,\"path\":\"proctor-data/proctor.db\",\"pinLedgerWriter\":true,\"retention\":null,\"retentionCheckInterval\":3600000},\"upstreams\":{}},\"RestartOptions\":{\"initialBackoff\":1000,\"maxBackoff\":30000},\"StorageSettings\":{\"lockTimeout\":5000,\"path\":\"proctor-data/proctor.db\",\"pinLedgerWriter\":true,\"retention\":null,\"retentionCheckInterval\":3600000},\"UpstreamOAuthSettings\":{\"audience\":null,\"clientAuthentication\":\"basic\",\"clientId\":null,\"clientSecret\":null,\"resource\":null,\"scope\":null,\"tokenUrl\":null},\"UpstreamOptions\":{\"allowLinkLocal\":false,\"args\":[],\"command\":null,\"cwd\":null,\"env\":{},\"era\":\"auto\",\"headers\":{},\"maxAuthAge\":null,\"maxCallsInFlight\":1024,\"maxMessageBytes\":16777216,\"maxQueuedMessages\":256,\"oauth\":null,\"pinToolDefinitions\":true,\"pingInterval\":30000,\"requireMfa\":false,\"requiredScopes\":[],\"restart\":{\"initialBackoff\":1000,\"maxBackoff\":30000},\"shutdownGrace\":5000,\"timeout\":null,\"url\":null},\"WebhookSettings\":{\"events\":[],\"maxAttempts\":8,\"name\":null,\"secret\":null,\"timeout\":10000,\"url\":null},\"format\":\"proctor.configuration/3\"}";
}
