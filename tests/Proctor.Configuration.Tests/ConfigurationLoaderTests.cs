using Proctor.Configuration.Secrets;
using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests;

public sealed class ConfigurationLoaderTests
{
    internal const string CompleteExample = """
        gateway:
          listen: "http://127.0.0.1:8080"
          allowedOrigins: ["http://localhost:6274"]
          maxRequestBytes: "4MiB"
          requestTimeout: "60s"
          shutdownTimeout: "10s"
          maxSessions: 10000
          maxSessionsPerIdentity: 100
          maxConcurrentCallsPerIdentity: 64
          maxCallsPerSecondPerIdentity: 500
        logging:
          level: "Information"
        upstreams:
          everything:                      # stdio: the gateway spawns and supervises it
            command: npx
            args: ["-y", "@modelcontextprotocol/server-everything", "stdio"]
            env: { SOME_VAR: "${env:SOME_VAR}" }
            cwd: "/srv/mcp"
            timeout: "30s"
            restart: { initialBackoff: "1s", maxBackoff: "30s" }
            shutdownGrace: "5s"
          crm:                             # remote Streamable HTTP server
            url: "http://127.0.0.1:9000/mcp"
            headers: { Authorization: "Bearer ${env:CRM_TOKEN}" }
            era: auto
            allowLinkLocal: false
        """;

    internal static readonly Dictionary<string, string> CompleteEnvironment =
        Environment(("SOME_VAR", "some value"), ("CRM_TOKEN", "s3cr3t-token"),
            ("APPROVALS_WEBHOOK_URL", "https://hooks.slack.com/services/T000/B000/XXXXXXXX"), ("APPROVALS_WEBHOOK_SECRET", "0123456789abcdef0123456789abcdef"));

    [Fact]
    public void LoadYaml_CompleteExample_BuildsEveryValue()
    {
        var model = Model(CompleteExample, CompleteEnvironment);

        Assert.Equal(new GatewaySettings(new Uri("http://127.0.0.1:8080"), model.Gateway.AllowedOrigins, 4 * 1024 * 1024, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10)), model.Gateway);
        Assert.Equal(["http://localhost:6274"], model.Gateway.AllowedOrigins);
        Assert.Equal("Information", model.Logging.Level);
        Assert.Equal(["crm", "everything"], model.Upstreams.Keys.Order());

        var everything = Assert.IsType<StdioUpstreamModel>(model.Upstreams["everything"]);
        Assert.Equal("npx", everything.Command);
        Assert.Equal(["-y", "@modelcontextprotocol/server-everything", "stdio"], everything.Args);
        Assert.Equal("some value", everything.Environment["SOME_VAR"].Reveal());
        Assert.Equal("${env:SOME_VAR}", everything.Environment["SOME_VAR"].Reference);
        Assert.Equal("/srv/mcp", everything.WorkingDirectory);
        Assert.Equal(TimeSpan.FromSeconds(30), everything.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(1), everything.InitialBackoff);
        Assert.Equal(TimeSpan.FromSeconds(30), everything.MaxBackoff);
        Assert.Equal(TimeSpan.FromSeconds(5), everything.ShutdownGrace);

        var crm = Assert.IsType<HttpUpstreamModel>(model.Upstreams["crm"]);
        Assert.Equal(new Uri("http://127.0.0.1:9000/mcp"), crm.Url);
        Assert.Equal("Bearer s3cr3t-token", crm.Headers["authorization"].Reveal());
        Assert.Equal(UpstreamEra.Auto, crm.Era);
        Assert.False(crm.AllowLinkLocal);
        Assert.Equal(TimeSpan.FromSeconds(60), crm.Timeout);
        Assert.Matches("^[0-9a-f]{64}$", model.Hash);
    }

    [Fact]
    public void LoadYaml_EmptyText_UsesEveryDefault()
    {
        var model = Model("");

        Assert.Equal(new Uri("http://127.0.0.1:8080"), model.Gateway.Listen);
        Assert.Empty(model.Gateway.AllowedOrigins);
        Assert.Equal(4L * 1024 * 1024, model.Gateway.MaxRequestBytes);
        Assert.Equal(TimeSpan.FromSeconds(60), model.Gateway.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), model.Gateway.ShutdownTimeout);
        Assert.Equal("Information", model.Logging.Level);
        Assert.Empty(model.Upstreams);
    }

    [Fact]
    public void LoadYaml_MinimalUpstreams_TakeDefaults()
    {
        var model = Model("""
            gateway: { requestTimeout: "2m" }
            upstreams:
              local: { command: ./server }
              remote: { url: "https://mcp.example.com/mcp" }
            """);

        var local = Assert.IsType<StdioUpstreamModel>(model.Upstreams["local"]);
        Assert.Equal(TimeSpan.FromMinutes(2), local.Timeout);
        Assert.Empty(local.Args);
        Assert.Empty(local.Environment);
        Assert.Null(local.WorkingDirectory);
        Assert.Equal(TimeSpan.FromSeconds(1), local.InitialBackoff);
        Assert.Equal(TimeSpan.FromSeconds(30), local.MaxBackoff);
        Assert.Equal(TimeSpan.FromSeconds(5), local.ShutdownGrace);

        var remote = Assert.IsType<HttpUpstreamModel>(model.Upstreams["remote"]);
        Assert.Equal(TimeSpan.FromMinutes(2), remote.Timeout);
        Assert.Empty(remote.Headers);
        Assert.Equal(UpstreamEra.Auto, remote.Era);
        Assert.False(remote.AllowLinkLocal);
    }

    [Fact]
    public void LoadYaml_ManyProblems_ReportsEveryErrorInOneResult()
    {
        var errors = Errors("""
            gateway:
              listen: "localhost"
              requestTimeout: "30"
              maxRequestBytes: "4MB"
              shutdownTimout: "10s"
            logging: { level: "Info" }
            upstreams:
              My_Server: { command: npx }
              crm:
                url: "ftp://crm.example.com"
                args: ["--x"]
                headers: { Authorization: "Bearer ${env:CRM_TOKEN}" }
              both: { command: npx, url: "https://x.example.com" }
              local:
                command: npx
                era: modern
                timeout: 30
            """);

        // In the order of the file, so that the list reads top to bottom like the file.
        Assert.Equal(
            [
                "gateway.listen: \"localhost\" is not a listen address; use e.g. \"http://127.0.0.1:8080\"",
                "gateway.requestTimeout: \"30\" is not a duration; use \"30s\"",
                "gateway.maxRequestBytes: \"4MB\" is not a size; use \"4MiB\"",
                "gateway.shutdownTimout: unknown key; did you mean \"shutdownTimeout\"?",
                "logging.level: \"Info\" is not a log level; did you mean \"Information\"? (one of Trace, Debug, Information, Warning, Error, Critical)",
                "upstreams.My_Server: \"My_Server\" is not a valid upstream name; names become tool prefixes ({server}__{tool}), so they may hold only lower-case letters, digits and hyphens (no underscores), 1 to 32 characters, starting with a letter or digit; use \"my-server\"",
                "upstreams.crm.url: \"ftp://crm.example.com\" is not an http or https URL; use e.g. \"https://mcp.example.com/mcp\"",
                "upstreams.crm.args: applies only to stdio upstreams (those with \"command\"); remove it from this url upstream",
                "upstreams.crm.headers.Authorization: environment variable CRM_TOKEN is not set; set it or change the reference",
                "upstreams.both: has both \"command\" and \"url\"; keep \"command\" for a local server the gateway starts, or \"url\" for a remote server",
                "upstreams.local.era: applies only to remote upstreams (those with \"url\"); remove it from this command upstream",
                "upstreams.local.timeout: \"30\" is not a duration; use \"30s\"",
            ],
            errors);
    }

    [Theory]
    [InlineData("gateway:\n  listen: [\"a\"\n", "proctor.yaml: line 3, column 1: while parsing a flow sequence, did not find expected ',' or ']'")]
    [InlineData("gateway:\n  listen: x\n listen: y\n", "proctor.yaml: line 3, column 2: while parsing a block mapping, did not find expected key; check the indentation, and quote values that contain \": \"")]
    [InlineData("gateway:\n  listen: a\n  listen: b\n", "proctor.yaml: line 3, column 3: the key \"listen\" appears twice in the same mapping; keep one")]
    [InlineData("gateway:\n\tlisten: a\n", "proctor.yaml: line 2, column 1: while scanning a mapping, found invalid tab as indentation; indent with spaces, not tabs")]
    [InlineData("gateway: {}\n---\nlogging: {}\n", "proctor.yaml: line 3, column 1: a configuration file holds one YAML document; remove the \"---\" that starts a second one")]
    [InlineData("- gateway\n", "proctor.yaml: expected a mapping with the sections gateway, logging and upstreams, found a list")]
    public void LoadYaml_MalformedDocument_ReportsLineAndColumn(string yaml, string expected)
    {
        Assert.Equal([expected], Errors(yaml));
    }

    [Fact]
    public void LoadFile_ExistingFile_ResolvesRelativeFileReferencesFromItsFolder()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(Path.Combine(folder.Path, "crm-token"), "from-file\n");
        var path = Path.Combine(folder.Path, "proctor.yaml");
        File.WriteAllText(path, """
            upstreams:
              crm:
                url: "https://crm.example.com/mcp"
                headers: { Authorization: "Bearer ${file:crm-token}" }
            """);

        var result = ConfigurationLoader.LoadFile(path, NoEnvironment);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var crm = Assert.IsType<HttpUpstreamModel>(result.Model!.Upstreams["crm"]);
        Assert.Equal("Bearer from-file", crm.Headers["Authorization"].Reveal());
    }

    [Fact]
    public void LoadFile_MissingFile_NamesThePath()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "missing.yaml");

        var result = ConfigurationLoader.LoadFile(path, NoEnvironment);

        Assert.Equal([$"{path}: the configuration file does not exist; check the path"], result.Errors.Select(error => error.ToString()));
    }

    [Fact]
    public void LoadFile_Folder_SaysToPassTheFile()
    {
        using var folder = new TemporaryFolder();

        var result = ConfigurationLoader.LoadFile(folder.Path, NoEnvironment);

        Assert.Equal([$"{folder.Path}: is a folder; pass the path of the configuration file, e.g. proctor.yaml"], result.Errors.Select(error => error.ToString()));
    }

    [Fact]
    public void LoadFile_HugeFile_IsRefusedUnread()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "big.yaml");
        File.WriteAllText(path, "# " + new string('x', ConfigurationLoader.MaxFileBytes));

        var result = ConfigurationLoader.LoadFile(path, NoEnvironment);

        Assert.Equal([$"{path}: is larger than 1 MiB; check that this is the configuration file"], result.Errors.Select(error => error.ToString()));
    }

    [Fact]
    public void LoadYaml_CustomResolver_IsUsedForEveryReference()
    {
        var vault = new FakeSecretResolverForLoader();

        var model = Model("""
            upstreams:
              crm:
                url: "https://crm.example.com/mcp"
                headers: { Authorization: "Bearer ${vault:crm}", X-Tenant: "${vault:tenant}" }
            """, secrets: vault);

        var crm = Assert.IsType<HttpUpstreamModel>(model.Upstreams["crm"]);
        Assert.Equal("Bearer value-of-crm", crm.Headers["Authorization"].Reveal());
        Assert.Equal("value-of-tenant", crm.Headers["X-Tenant"].Reveal());
    }

    private sealed class FakeSecretResolverForLoader : ISecretResolver
    {
        public IReadOnlyCollection<string> Schemes { get; } = ["vault"];

        public SecretResolution Resolve(SecretReference reference) => SecretResolution.Resolved("value-of-" + reference.Name);
    }
}
