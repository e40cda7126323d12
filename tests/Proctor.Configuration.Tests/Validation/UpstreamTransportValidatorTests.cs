using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Validation;

public sealed class UpstreamTransportValidatorTests
{
    [Theory]
    [InlineData("crm: { command: npx, url: \"https://crm.example.com/mcp\" }", "upstreams.crm: has both \"command\" and \"url\"; keep \"command\" for a local server the gateway starts, or \"url\" for a remote server")]
    [InlineData("crm: { timeout: 30s }", "upstreams.crm: needs \"command\" (a local server the gateway starts) or \"url\" (a remote server); add one, e.g. url: \"https://mcp.example.com/mcp\"")]
    [InlineData("crm:", "upstreams.crm: needs \"command\" (a local server the gateway starts) or \"url\" (a remote server); add one, e.g. url: \"https://mcp.example.com/mcp\"")]
    [InlineData("crm: \"https://crm.example.com/mcp\"", "upstreams.crm: expected the upstream's settings, found \"https://crm.example.com/mcp\"; use e.g. { url: \"https://mcp.example.com/mcp\" } or { command: \"npx\" }")]
    public void Validate_NotExactlyOneTransport_IsRefused(string upstream, string expected)
    {
        Assert.Equal([expected], Errors($"upstreams:\n  {upstream}\n"));
    }
}
