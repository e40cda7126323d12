using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Binding;

public sealed class OptionsBinderTests
{
    [Theory]
    [InlineData("upstream: {}", "upstream: unknown key; did you mean \"upstreams\"?")]
    [InlineData("mcpServers: {}", "mcpServers: unknown key; did you mean \"upstreams\"?")]
    [InlineData("tls: {}", "tls: unknown key; expected one of gateway, logging, storage, identity, masking, notifications, policy, approvals, access, console, upstreams")]
    [InlineData("Gateway: {}", "Gateway: unknown key; did you mean \"gateway\"?")]
    [InlineData("gateway: { listen_address: x }", "gateway.listen_address: unknown key; did you mean \"listen\"?")]
    [InlineData("gateway: { allowedOrigin: [] }", "gateway.allowedOrigin: unknown key; did you mean \"allowedOrigins\"?")]
    [InlineData("gateway: { cors: [] }", "gateway.cors: unknown key; did you mean \"allowedOrigins\"?")]
    [InlineData("gateway: { port: 8080 }", "gateway.port: unknown key; expected one of listen, allowedOrigins, maxRequestBytes, requestTimeout, shutdownTimeout, maxSessions, maxSessionsPerIdentity, maxConcurrentCallsPerIdentity, maxCallsPerSecondPerIdentity, maxReplayEventsPerSession, maxReplayBytesPerSession")]
    [InlineData("logging: { lvl: Debug }", "logging.lvl: unknown key; did you mean \"level\"?")]
    [InlineData("upstreams: { crm: { url: \"https://a.example\", tiemout: 30s } }", "upstreams.crm.tiemout: unknown key; did you mean \"timeout\"?")]
    [InlineData("upstreams: { crm: { url: \"https://a.example\", header: {} } }", "upstreams.crm.header: unknown key; did you mean \"headers\"?")]
    [InlineData("upstreams: { tool: { command: npx, environment: {} } }", "upstreams.tool.environment: unknown key; did you mean \"env\"?")]
    [InlineData("upstreams: { tool: { command: npx, arguments: [] } }", "upstreams.tool.arguments: unknown key; did you mean \"args\"?")]
    [InlineData("upstreams: { tool: { command: npx, workingDirectory: /srv } }", "upstreams.tool.workingDirectory: unknown key; did you mean \"cwd\"?")]
    [InlineData("upstreams: { tool: { command: npx, type: stdio } }", "upstreams.tool.type: unknown key; expected one of command, args, env, cwd, restart, shutdownGrace, timeout, requireMfa, maxAuthAge, requiredScopes, pinToolDefinitions, maxMessageBytes, maxCallsInFlight, maxQueuedMessages, pingInterval, url, headers, era, allowLinkLocal, oauth")]
    public void Bind_UnknownKey_NamesFullKeyAndClosestKnownKey(string yaml, string expected)
    {
        Assert.Equal([expected], Errors(yaml));
    }

    [Fact]
    public void Bind_MergeKey_SaysToWriteTheKeysOut()
    {
        Assert.Equal(
            [
                "base: unknown key; expected one of gateway, logging, storage, identity, masking, notifications, policy, approvals, access, console, upstreams",
                "upstreams.a.<<: YAML merge keys are not supported; write the keys out",
                "upstreams.a: needs \"command\" (a local server the gateway starts) or \"url\" (a remote server); add one, e.g. url: \"https://mcp.example.com/mcp\"",
            ],
            Errors("base: &b { command: npx }\nupstreams: { a: { <<: *b } }"));
    }

    [Theory]
    [InlineData("gateway: \"http://0.0.0.0:8080\"", "gateway: expected a mapping, found \"http://0.0.0.0:8080\"; use e.g. { listen: \"http://127.0.0.1:8080\" }")]
    [InlineData("gateway: { listen: [\"http://a\"] }", "gateway.listen: expected a URL, found a list; use e.g. \"http://127.0.0.1:8080\"")]
    [InlineData("gateway: { allowedOrigins: \"http://localhost:6274\" }", "gateway.allowedOrigins: expected a list of origins, found \"http://localhost:6274\"; use [\"http://localhost:6274\"]")]
    [InlineData("gateway: { allowedOrigins: { a: b } }", "gateway.allowedOrigins: expected a list of origins, found a mapping; use [\"http://localhost:6274\"]")]
    [InlineData("gateway: { requestTimeout: { seconds: 30 } }", "gateway.requestTimeout: expected a duration, found a mapping; use e.g. \"60s\"")]
    [InlineData("logging: Debug", "logging: expected a mapping, found \"Debug\"; use e.g. { level: \"Information\" }")]
    [InlineData("upstreams: [crm]", "upstreams: expected a mapping, found a list; use e.g. { crm: { url: \"https://mcp.example.com/mcp\" } }")]
    [InlineData("upstreams: { crm: [url] }", "upstreams.crm: expected the upstream's settings, found a list; use e.g. { url: \"https://mcp.example.com/mcp\" } or { command: \"npx\" }")]
    [InlineData("upstreams: { crm: { url: \"https://a.example\", era: [auto] } }", "upstreams.crm.era: expected auto, legacy or modern, found a list; use e.g. auto")]
    [InlineData("upstreams: { crm: { url: \"https://a.example\", headers: { X-A: [1] } } }", "upstreams.crm.headers.X-A: expected a text value, found a list; use e.g. \"value\"")]
    [InlineData("\"just text\"", "proctor.yaml: expected a mapping with the sections gateway, logging and upstreams, found \"just text\"")]
    [InlineData("? [a, b]\n: c\n", "proctor.yaml: line 1: keys must be plain names, found a list")]
    public void Bind_WrongShape_NamesKeyWhatWasFoundAndAnExample(string yaml, string expected)
    {
        Assert.Equal([expected], Errors(yaml));
    }

    [Theory]
    [InlineData("gateway:")]
    [InlineData("gateway: ~\nlogging: null\nupstreams:")]
    [InlineData("# nothing but a comment")]
    public void Bind_EmptySections_TakeDefaults(string yaml)
    {
        Assert.Equal("Information", Model(yaml).Logging.Level);
    }
}
