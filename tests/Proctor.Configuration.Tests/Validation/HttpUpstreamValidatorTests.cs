using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Validation;

public sealed class HttpUpstreamValidatorTests
{
    [Theory]
    [InlineData("url: \"http://127.0.0.1:9000/mcp\"", UpstreamEra.Auto, false)]
    [InlineData("url: \"https://mcp.example.com/mcp?tenant=a\", era: legacy", UpstreamEra.Legacy, false)]
    [InlineData("url: \"https://mcp.example.com/mcp\", era: Modern", UpstreamEra.Modern, false)]
    [InlineData("url: \"http://169.254.169.254/mcp\", allowLinkLocal: true", UpstreamEra.Auto, true)]
    [InlineData("url: \"http://[fd00:ec2::254]/mcp\", allowLinkLocal: \"TRUE\"", UpstreamEra.Auto, true)]
    public void Validate_ValidRemoteUpstream_IsAccepted(string settings, UpstreamEra era, bool allowLinkLocal)
    {
        var upstream = Assert.IsType<HttpUpstreamModel>(Model($"upstreams: {{ crm: {{ {settings} }} }}").Upstreams["crm"]);

        Assert.Equal(era, upstream.Era);
        Assert.Equal(allowLinkLocal, upstream.AllowLinkLocal);
    }

    [Fact]
    public void Validate_HeaderNames_CompareIgnoringCase()
    {
        var upstream = Assert.IsType<HttpUpstreamModel>(Model("""
            upstreams:
              crm: { url: "https://crm.example.com/mcp", headers: { X-Tenant: bank-a } }
            """).Upstreams["crm"]);

        Assert.Equal("bank-a", upstream.Headers["x-tenant"].Reveal());
    }

    private const string LinkLocal = "points at a link-local or cloud metadata address, which is refused to guard against request forgery; use the server's own address, or set allowLinkLocal: true if the server really is there";

    [Theory]
    [InlineData("url: ~, era: auto", "upstreams.crm.url: is empty; use e.g. \"https://mcp.example.com/mcp\"")]
    [InlineData("url: { host: crm }", "upstreams.crm.url: expected a URL, found a mapping; use e.g. \"https://mcp.example.com/mcp\"")]
    [InlineData("url: \"ftp://crm.example.com\"", "upstreams.crm.url: \"ftp://crm.example.com\" is not an http or https URL; use e.g. \"https://mcp.example.com/mcp\"")]
    [InlineData("url: \"localhost:9000/mcp\"", "upstreams.crm.url: \"localhost:9000/mcp\" is not an http or https URL; use e.g. \"https://mcp.example.com/mcp\"")]
    [InlineData("url: \"/mcp\"", "upstreams.crm.url: \"/mcp\" is not an http or https URL; use e.g. \"https://mcp.example.com/mcp\"")]
    [InlineData("url: \"https://user:pw@crm.example.com/mcp\"", "upstreams.crm.url: \"https://user:pw@crm.example.com/mcp\" has credentials in it; send them as a header instead, e.g. headers: { Authorization: \"Bearer ${env:CRM_TOKEN}\" }")]
    [InlineData("url: \"https://crm.example.com/mcp#x\"", "upstreams.crm.url: \"https://crm.example.com/mcp#x\" has a fragment (#…), which is never sent to a server; remove it")]
    [InlineData("url: \"http://169.254.169.254/latest\"", "upstreams.crm.url: \"http://169.254.169.254/latest\" " + LinkLocal)]
    [InlineData("url: \"http://2852039166/\"", "upstreams.crm.url: \"http://2852039166/\" " + LinkLocal)]
    [InlineData("url: \"http://169.254.170.2/v2/credentials\"", "upstreams.crm.url: \"http://169.254.170.2/v2/credentials\" " + LinkLocal)]
    [InlineData("url: \"http://[fd00:ec2::254]/\"", "upstreams.crm.url: \"http://[fd00:ec2::254]/\" " + LinkLocal)]
    [InlineData("url: \"http://[::ffff:169.254.169.254]/\"", "upstreams.crm.url: \"http://[::ffff:169.254.169.254]/\" " + LinkLocal)]
    [InlineData("url: \"http://metadata.google.internal/\"", "upstreams.crm.url: \"http://metadata.google.internal/\" " + LinkLocal)]
    [InlineData("url: \"http://169.254.169.254/\", allowLinkLocal: no", "upstreams.crm.allowLinkLocal: \"no\" is not true or false; use false")]
    [InlineData("url: \"https://crm.example.com\", era: new", "upstreams.crm.era: \"new\" is not an era; use auto, legacy or modern")]
    [InlineData("url: \"https://crm.example.com\", era: \"0\"", "upstreams.crm.era: \"0\" is not an era; use auto, legacy or modern")]
    [InlineData("url: \"https://crm.example.com\", timeout: 5", "upstreams.crm.timeout: \"5\" is not a duration; use \"5s\"")]
    [InlineData("url: \"https://crm.example.com\", command: npx", "upstreams.crm: has both \"command\" and \"url\"; keep \"command\" for a local server the gateway starts, or \"url\" for a remote server")]
    [InlineData("url: \"https://crm.example.com\", env: { A: b }", "upstreams.crm.env: applies only to stdio upstreams (those with \"command\"); remove it from this url upstream")]
    [InlineData("url: \"https://crm.example.com\", cwd: /srv", "upstreams.crm.cwd: applies only to stdio upstreams (those with \"command\"); remove it from this url upstream")]
    [InlineData("url: \"https://crm.example.com\", restart: { maxBackoff: 1m }", "upstreams.crm.restart: applies only to stdio upstreams (those with \"command\"); remove it from this url upstream")]
    [InlineData("url: \"https://crm.example.com\", shutdownGrace: 1s", "upstreams.crm.shutdownGrace: applies only to stdio upstreams (those with \"command\"); remove it from this url upstream")]
    [InlineData("url: \"https://crm.example.com\", headers: { \"X Tenant\": a }", "upstreams.crm.headers.X Tenant: \"X Tenant\" is not a header name; use letters, digits and hyphens, e.g. \"X-Tenant\"")]
    [InlineData("url: \"https://crm.example.com\", headers: { host: a }", "upstreams.crm.headers.host: \"Host\" is set by the gateway on every request; remove it")]
    [InlineData("url: \"https://crm.example.com\", headers: { Mcp-Session-Id: a }", "upstreams.crm.headers.Mcp-Session-Id: \"Mcp-Session-Id\" is set by the gateway on every request; remove it")]
    [InlineData("url: \"https://crm.example.com\", headers: { mcp-method: a }", "upstreams.crm.headers.mcp-method: \"Mcp-Method\" is set by the gateway on every request; remove it")]
    [InlineData("url: \"https://crm.example.com\", headers: { X-Tenant: a, x-tenant: b }", "upstreams.crm.headers.x-tenant: repeats \"X-Tenant\" (header names ignore case); keep one")]
    [InlineData("url: \"https://crm.example.com\", headers: { X-Tenant: \"a\\r\\nX-Admin: yes\" }", "upstreams.crm.headers.X-Tenant: the value contains a line break; a header value must be a single line (check the end of the referenced file or variable)")]
    [InlineData("url: \"https://crm.example.com\", headers: [\"Authorization: x\"]", "upstreams.crm.headers: expected a mapping of header names to values, found a list; use e.g. { Authorization: \"Bearer ${env:CRM_TOKEN}\" }")]
    [InlineData("url: \"https://crm.example.com\", headers: \"Authorization: x\"", "upstreams.crm.headers: expected a mapping of header names to values, found a single value; use e.g. { Authorization: \"Bearer ${env:CRM_TOKEN}\" }")]
    public void Validate_InvalidSetting_NamesKeyAndFix(string settings, string expected)
    {
        Assert.Equal([expected], Errors($"upstreams: {{ crm: {{ {settings} }} }}"));
    }
}
