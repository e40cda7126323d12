using Proctor.Configuration.Secrets;
using Proctor.Configuration.Tests.Secrets;
using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Validation;

public sealed class SecretReferenceValidatorTests
{
    private const string Secret = "pl41ntext-s3cret";

    [Fact]
    public void Validate_ReferencesInEnvHeadersAndUrl_AreResolvedWithTheRealEnvironmentResolver()
    {
        var model = Model("""
            upstreams:
              tool:
                command: npx
                env: { GITHUB_TOKEN: "${env:GH}", MIXED: "a-${env:GH}-b-${env:GH}" }
              crm:
                url: "https://${env:CRM_HOST}/mcp?key=${env:CRM_KEY}"
                headers: { Authorization: "Bearer ${env:CRM_TOKEN}" }
            """, Environment(("GH", "gh-value"), ("CRM_HOST", "crm.example.com"), ("CRM_KEY", "k"), ("CRM_TOKEN", Secret)));

        var tool = Assert.IsType<StdioUpstreamModel>(model.Upstreams["tool"]);
        Assert.Equal("gh-value", tool.Environment["GITHUB_TOKEN"].Reveal());
        Assert.Equal("a-gh-value-b-gh-value", tool.Environment["MIXED"].Reveal());
        var crm = Assert.IsType<HttpUpstreamModel>(model.Upstreams["crm"]);
        Assert.Equal("https://crm.example.com/mcp?key=k", crm.Url.AbsoluteUri);
        Assert.Equal("Bearer " + Secret, crm.Headers["Authorization"].Reveal());
        Assert.Equal("Bearer ${env:CRM_TOKEN}", crm.Headers["Authorization"].Reference);
    }

    [Fact]
    public void Validate_FakeResolver_IsAskedOncePerDistinctReference()
    {
        var resolver = new FakeSecretResolver("vault", new() { ["crm"] = Secret });

        var model = Model("""
            upstreams:
              crm:
                url: "https://crm.example.com/mcp"
                headers: { Authorization: "${vault:crm} ${vault:crm}" }
            """, secrets: resolver);

        Assert.Equal([new SecretReference("vault", "crm")], resolver.Requests);
        Assert.Equal($"{Secret} {Secret}", model.Upstreams["crm"] is HttpUpstreamModel crm ? crm.Headers["Authorization"].Reveal() : null);
    }

    [Fact]
    public void Validate_ModelToString_NeverShowsPlaintext()
    {
        var model = Model("""
            upstreams:
              tool: { command: npx, env: { API_TOKEN: "${env:TOKEN}" } }
              crm:
                url: "https://crm.example.com/mcp?key=${env:TOKEN}"
                headers: { Authorization: "Bearer ${env:TOKEN}" }
            """, Environment(("TOKEN", Secret)));

        var shown = string.Join("\n", model.Upstreams.Values.Select(upstream => upstream.ToString()))
            + string.Join("\n", model.Upstreams.Values.OfType<StdioUpstreamModel>().SelectMany(upstream => upstream.Environment.Values).Select(value => value.ToString()))
            + string.Join("\n", model.Upstreams.Values.OfType<HttpUpstreamModel>().SelectMany(upstream => upstream.Headers.Values).Select(value => $"{value}"));

        Assert.DoesNotContain(Secret, shown, StringComparison.Ordinal);
        Assert.Contains("Url = https://crm.example.com/mcp?key=${env:TOKEN}", shown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("headers: { Authorization: \"Bearer ${env:CRM_TOKEN}\" }", "upstreams.crm.headers.Authorization: environment variable CRM_TOKEN is not set; set it or change the reference")]
    [InlineData("headers: { Authorization: \"Bearer ${file:/nonexistent/proctor/crm}\" }", "upstreams.crm.headers.Authorization: file /nonexistent/proctor/crm does not exist; create it or change the reference")]
    [InlineData("headers: { X-Key: \"${vault:crm}\" }", "upstreams.crm.headers.X-Key: ${vault:crm} uses the unknown scheme \"vault\"; use ${aws-sm:SECRET_ID}, ${aws-ssm:/PARAMETER}, ${env:NAME} or ${file:PATH}")]
    [InlineData("headers: { X-Key: \"${env:1BAD}\" }", "upstreams.crm.headers.X-Key: \"1BAD\" in ${env:1BAD} is not an environment variable name; use letters, digits and underscores, e.g. ${env:CRM_TOKEN}")]
    [InlineData("headers: { X-Key: \"${env:CRM_TOKEN\" }", "upstreams.crm.headers.X-Key: a reference is not closed; end it with \"}\", e.g. \"${env:CRM_TOKEN}\"")]
    [InlineData("headers: { X-Key: \"${CRM_TOKEN}\" }", "upstreams.crm.headers.X-Key: \"${CRM_TOKEN}\" is not a secret reference; write \"${env:CRM_TOKEN}\" to read an environment variable, or \"$${CRM_TOKEN}\" for the literal text")]
    [InlineData("headers: { X-Key: \"${ENV:CRM_TOKEN}\" }", "upstreams.crm.headers.X-Key: \"${ENV:CRM_TOKEN}\" is not a secret reference; use \"${env:NAME}\" or \"${file:PATH}\" (schemes are lower case)")]
    [InlineData("headers: { X-Key: \"${env:}\" }", "upstreams.crm.headers.X-Key: \"${env:}\" names nothing; use e.g. \"${env:CRM_TOKEN}\"")]
    [InlineData("headers: { Authorization: \"Bearer " + Secret + "\" }", "upstreams.crm.headers.Authorization: a credential must not be written into the configuration; reference it instead, e.g. \"Bearer ${env:CRM_TOKEN}\"")]
    [InlineData("headers: { X-Api-Key: \"" + Secret + "\" }", "upstreams.crm.headers.X-Api-Key: a credential must not be written into the configuration; reference it instead, e.g. \"${env:CRM_X_API_KEY}\"")]
    [InlineData("headers: { Cookie: \"session=" + Secret + "\" }", "upstreams.crm.headers.Cookie: a credential must not be written into the configuration; reference it instead, e.g. \"${env:CRM_COOKIE}\"")]
    public void Validate_BadReferenceOrLiteralCredentialInHeader_NamesKeyNotValue(string settings, string expected)
    {
        var errors = Errors($"upstreams: {{ crm: {{ url: \"https://crm.example.com/mcp\", {settings} }} }}");

        Assert.Equal([expected], errors);
        Assert.DoesNotContain(errors, error => error.Contains(Secret, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("env: { GITHUB_TOKEN: \"" + Secret + "\" }", "upstreams.tool.env.GITHUB_TOKEN: a credential must not be written into the configuration; reference it instead, e.g. \"${env:GITHUB_TOKEN}\"")]
    [InlineData("env: { DB_PASSWORD: \"" + Secret + "\" }", "upstreams.tool.env.DB_PASSWORD: a credential must not be written into the configuration; reference it instead, e.g. \"${env:DB_PASSWORD}\"")]
    [InlineData("env: { AWS_SECRET_ACCESS_KEY: \"" + Secret + "\" }", "upstreams.tool.env.AWS_SECRET_ACCESS_KEY: a credential must not be written into the configuration; reference it instead, e.g. \"${env:AWS_SECRET_ACCESS_KEY}\"")]
    [InlineData("env: { TOKEN: \"${env:MISSING_TOKEN}\" }", "upstreams.tool.env.TOKEN: environment variable MISSING_TOKEN is not set; set it or change the reference")]
    [InlineData("args: [\"--token\", \"${env:TOKEN}\"]", "upstreams.tool.args[1]: secret references are resolved only in env, headers, url, oauth.clientSecret, webhook secrets and masking deny-list terms, and a command line is visible to every local user; pass the secret through env, e.g. env: { TOKEN: \"${env:TOKEN}\" }")]
    [InlineData("cwd: \"${file:/etc/dir}\"", "upstreams.tool.cwd: secret references are resolved only in env, headers, url, oauth.clientSecret, webhook secrets and masking deny-list terms; write the folder itself")]
    [InlineData("command: \"${env:SERVER}\"", "upstreams.tool.command: secret references are resolved only in env, headers, url, oauth.clientSecret, webhook secrets and masking deny-list terms; name the program itself")]
    public void Validate_BadSecretInStdioUpstream_NamesKeyNotValue(string settings, string expected)
    {
        var errors = Errors(settings.StartsWith("command", StringComparison.Ordinal)
            ? $"upstreams: {{ tool: {{ {settings} }} }}"
            : $"upstreams: {{ tool: {{ command: npx, {settings} }} }}");

        Assert.Equal([expected], errors);
        Assert.DoesNotContain(errors, error => error.Contains(Secret, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("env: { MAX_TOKENS: \"4096\", PUBLIC_KEY_PATH: /etc/key.pem, TOKEN_URL: \"https://idp/token\" }")]
    [InlineData("args: [\"-c\", \"exec server --port ${PORT:-8080}\"]")]
    [InlineData("args: [\"--literal\", \"$${env:NOT_A_REFERENCE}\"]")]
    [InlineData("env: { API_TOKEN: \"\" }")]
    public void Validate_NonCredentialLiterals_AreAccepted(string settings)
    {
        Model($"upstreams: {{ tool: {{ command: sh, {settings} }} }}");
    }

    [Fact]
    public void Validate_ResolvedUrl_IsCheckedButMessagesShowOnlyTheReference()
    {
        var errors = Errors(
            "upstreams: { crm: { url: \"${env:CRM_URL}\" } }",
            Environment(("CRM_URL", "http://169.254.169.254/?token=" + Secret)));

        Assert.Equal(
            ["upstreams.crm.url: \"${env:CRM_URL}\" points at a link-local or cloud metadata address, which is refused to guard against request forgery; use the server's own address, or set allowLinkLocal: true if the server really is there"],
            errors);
    }

    [Fact]
    public void Validate_ResolvedHeaderWithLineBreak_IsRefusedWithoutShowingIt()
    {
        var errors = Errors(
            "upstreams: { crm: { url: \"https://crm.example.com\", headers: { Authorization: \"Bearer ${env:CRM_TOKEN}\" } } }",
            Environment(("CRM_TOKEN", Secret + "\r\nX-Admin: yes")));

        Assert.Equal(
            ["upstreams.crm.headers.Authorization: the value contains a line break; a header value must be a single line (check the end of the referenced file or variable)"],
            errors);
    }

    [Fact]
    public void Validate_ThrowingResolver_BecomesAnErrorAndOthersAreStillReported()
    {
        var errors = Errors("""
            upstreams:
              crm:
                url: "https://crm.example.com"
                headers: { Authorization: "${boom:x}", X-Other: "${env:MISSING}" }
            """, secrets: new CompositeSecretResolver(new ThrowingResolver(), new EnvironmentSecretResolver(NoEnvironment)));

        Assert.Equal(
            [
                "upstreams.crm.headers.Authorization: ${boom:x} could not be resolved: store unreachable",
                "upstreams.crm.headers.X-Other: environment variable MISSING is not set; set it or change the reference",
            ],
            errors);
    }

    private sealed class ThrowingResolver : ISecretResolver
    {
        public IReadOnlyCollection<string> Schemes { get; } = ["boom"];

        public SecretResolution Resolve(SecretReference reference) => throw new IOException("store unreachable");
    }
}
