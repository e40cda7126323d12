using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Validation;

public sealed class GatewayValidatorTests
{
    [Theory]
    [InlineData("listen: \"http://127.0.0.1:8080\"", "http://127.0.0.1:8080/")]
    [InlineData("listen: \"http://0.0.0.0:8080\"", "http://0.0.0.0:8080/")]
    [InlineData("listen: \"https://[::1]:8443/\"", "https://[::1]:8443/")]
    [InlineData("listen: \"HTTP://LOCALHOST:9000\"", "http://localhost:9000/")]
    public void Validate_ValidListen_IsAccepted(string setting, string expected)
    {
        Assert.Equal(expected, Model($"gateway: {{ {setting} }}").Gateway.Listen.AbsoluteUri);
    }

    [Theory]
    [InlineData("[\"http://localhost:6274\", \"https://App.Example.com:443\", \"http://[::1]:3000\"]", new[] { "http://localhost:6274", "https://app.example.com", "http://[::1]:3000" })]
    [InlineData("[\"http://localhost:6274\", \"HTTP://localhost:6274\"]", new[] { "http://localhost:6274" })]
    [InlineData("[]", new string[0])]
    public void Validate_ValidOrigins_AreNormalized(string setting, string[] expected)
    {
        Assert.Equal(expected, Model($"gateway: {{ allowedOrigins: {setting} }}").Gateway.AllowedOrigins);
    }

    [Theory]
    [InlineData("4194304", 4194304L)]
    [InlineData("\"512KiB\"", 524288L)]
    [InlineData("\"4MiB\"", 4194304L)]
    [InlineData("\"1GiB\"", 1073741824L)]
    [InlineData("\"100B\"", 100L)]
    [InlineData("\"16mib\"", 16777216L)]
    public void Validate_ValidMaxRequestBytes_IsAccepted(string setting, long expected)
    {
        Assert.Equal(expected, Model($"gateway: {{ maxRequestBytes: {setting} }}").Gateway.MaxRequestBytes);
    }

    [Theory]
    [InlineData("\"500ms\"", 500)]
    [InlineData("\"30s\"", 30_000)]
    [InlineData("\"2m\"", 120_000)]
    [InlineData("\"1h\"", 3_600_000)]
    [InlineData("\"1m30s\"", 90_000)]
    [InlineData("\"24h\"", 86_400_000)]
    public void Validate_ValidRequestTimeout_IsAccepted(string setting, int expectedMilliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), Model($"gateway: {{ requestTimeout: {setting} }}").Gateway.RequestTimeout);
    }

    [Fact]
    public void Validate_NoLimitsWritten_TheDocumentedDefaultsApply()
    {
        Assert.Equal(new GatewayLimits(10_000, 100, 64, 500), Model("").Gateway.Limits);
    }

    [Theory]
    [InlineData("maxSessions: 20000", 20_000, 100, 64, 500)]
    [InlineData("maxSessionsPerIdentity: 1", 10_000, 1, 64, 500)]
    [InlineData("maxSessionsPerIdentity: 10000", 10_000, 10_000, 64, 500)]
    [InlineData("maxConcurrentCallsPerIdentity: 8", 10_000, 100, 8, 500)]
    [InlineData("maxCallsPerSecondPerIdentity: \"20\"", 10_000, 100, 64, 20)]
    public void Validate_ValidLimits_AreAccepted(string setting, int sessions, int sessionsPerIdentity, int concurrent, int perSecond)
    {
        Assert.Equal(new GatewayLimits(sessions, sessionsPerIdentity, concurrent, perSecond), Model($"gateway: {{ {setting} }}").Gateway.Limits);
    }

    [Theory]
    [InlineData("listen: \"localhost:8080\"", "gateway.listen: \"localhost:8080\" is not a listen address; use e.g. \"http://127.0.0.1:8080\"")]
    [InlineData("listen: \"http://*:8080\"", "gateway.listen: \"http://*:8080\" is not a listen address; use \"http://0.0.0.0:8080\" to listen on every interface")]
    [InlineData("listen: \"http://127.0.0.1:8080/mcp\"", "gateway.listen: \"http://127.0.0.1:8080/mcp\" must be scheme, host and port only (the MCP endpoint is always /mcp); use \"http://127.0.0.1:8080\"")]
    [InlineData("listen: \"ftp://127.0.0.1:21\"", "gateway.listen: \"ftp://127.0.0.1:21\" is not a listen address; use e.g. \"http://127.0.0.1:8080\"")]
    [InlineData("listen: 8080", "gateway.listen: \"8080\" is not a listen address; use e.g. \"http://127.0.0.1:8080\"")]
    [InlineData("allowedOrigins: [\"http://localhost:6274/\"]", "gateway.allowedOrigins[0]: \"http://localhost:6274/\" is not an origin (scheme, host and port only); use \"http://localhost:6274\"")]
    [InlineData("allowedOrigins: [\"https://a.example.com\", \"*\"]", "gateway.allowedOrigins[1]: \"*\" is not allowed; list each origin, e.g. \"https://app.example.com\"")]
    [InlineData("allowedOrigins: [\"null\"]", "gateway.allowedOrigins[0]: \"null\" is not allowed; list each origin, e.g. \"https://app.example.com\"")]
    [InlineData("allowedOrigins: [\"localhost:6274\"]", "gateway.allowedOrigins[0]: \"localhost:6274\" is not an origin; use scheme, host and port, e.g. \"https://app.example.com\"")]
    [InlineData("allowedOrigins: [\"https://app.example.com/login?x=1\"]", "gateway.allowedOrigins[0]: \"https://app.example.com/login?x=1\" is not an origin (scheme, host and port only); use \"https://app.example.com\"")]
    [InlineData("maxRequestBytes: \"4MB\"", "gateway.maxRequestBytes: \"4MB\" is not a size; use \"4MiB\"")]
    [InlineData("maxRequestBytes: \"512k\"", "gateway.maxRequestBytes: \"512k\" is not a size; use \"512KiB\"")]
    [InlineData("maxRequestBytes: \"lots\"", "gateway.maxRequestBytes: \"lots\" is not a size; use a number of bytes, or a whole number with KiB, MiB or GiB, e.g. \"4MiB\"")]
    [InlineData("maxRequestBytes: \"1.5MiB\"", "gateway.maxRequestBytes: \"1.5MiB\" is not a size; use a number of bytes, or a whole number with KiB, MiB or GiB, e.g. \"4MiB\"")]
    [InlineData("maxRequestBytes: 0", "gateway.maxRequestBytes: \"0\" must be larger than zero; use \"4MiB\"")]
    [InlineData("maxRequestBytes: \"9999999999999GiB\"", "gateway.maxRequestBytes: \"9999999999999GiB\" is too large; use e.g. \"4MiB\"")]
    [InlineData("maxRequestBytes: 9999999999999999999", "gateway.maxRequestBytes: \"9999999999999999999\" is too large; use e.g. \"4MiB\"")]
    [InlineData("requestTimeout: \"30\"", "gateway.requestTimeout: \"30\" is not a duration; use \"30s\"")]
    [InlineData("requestTimeout: 30", "gateway.requestTimeout: \"30\" is not a duration; use \"30s\"")]
    [InlineData("requestTimeout: \"1.5s\"", "gateway.requestTimeout: \"1.5s\" is not a duration; use \"1s500ms\"")]
    [InlineData("requestTimeout: \"30 seconds\"", "gateway.requestTimeout: \"30 seconds\" is not a duration; use a whole number with ms, s, m or h, e.g. \"60s\"")]
    [InlineData("requestTimeout: \"1d\"", "gateway.requestTimeout: \"1d\" is not a duration; use a whole number with ms, s, m or h, e.g. \"60s\"")]
    [InlineData("requestTimeout: \"0s\"", "gateway.requestTimeout: \"0s\" must be longer than zero; use \"60s\"")]
    [InlineData("requestTimeout: \"25h\"", "gateway.requestTimeout: \"25h\" is longer than 24h; use at most \"24h\"")]
    [InlineData("requestTimeout: \"999999999999999999h\"", "gateway.requestTimeout: \"999999999999999999h\" is longer than 24h; use at most \"24h\"")]
    [InlineData("shutdownTimeout: \"-5s\"", "gateway.shutdownTimeout: \"-5s\" is not a duration; use a whole number with ms, s, m or h, e.g. \"10s\"")]
    [InlineData("maxSessions: 0", "gateway.maxSessions: \"0\" must be at least 1 (a limit of 0 would refuse every request); use e.g. 10000")]
    [InlineData("maxSessions: \"10k\"", "gateway.maxSessions: \"10k\" is not a whole number; use e.g. 10000")]
    [InlineData("maxSessionsPerIdentity: -1", "gateway.maxSessionsPerIdentity: \"-1\" is not a whole number; use e.g. 100")]
    [InlineData("maxSessionsPerIdentity: 20001, maxSessions: 20000", "gateway.maxSessionsPerIdentity: 20001 is more than gateway.maxSessions (20000), so one identity could still take every session; use at most 20000, or raise gateway.maxSessions")]
    [InlineData("maxSessionsPerIdentity: 10001", "gateway.maxSessionsPerIdentity: 10001 is more than gateway.maxSessions (10000), so one identity could still take every session; use at most 10000, or raise gateway.maxSessions")]
    [InlineData("maxConcurrentCallsPerIdentity: 1.5", "gateway.maxConcurrentCallsPerIdentity: \"1.5\" is not a whole number; use e.g. 64")]
    [InlineData("maxConcurrentCallsPerIdentity: 99999999999", "gateway.maxConcurrentCallsPerIdentity: \"99999999999\" is not a whole number; use e.g. 64")]
    [InlineData("maxCallsPerSecondPerIdentity: \"500/s\"", "gateway.maxCallsPerSecondPerIdentity: \"500/s\" is not a whole number; use e.g. 500")]
    [InlineData("maxCallsPerSecondPerIdentity: 0", "gateway.maxCallsPerSecondPerIdentity: \"0\" must be at least 1 (a limit of 0 would refuse every request); use e.g. 500")]
    public void Validate_InvalidSetting_NamesKeyAndFix(string setting, string expected)
    {
        Assert.Equal([expected], Errors($"gateway: {{ {setting} }}"));
    }
}
