using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Validation;

public sealed class UpstreamLimitsValidatorTests
{
    [Theory]
    [InlineData("command: npx")]
    [InlineData("url: \"https://crm.example.com/mcp\"")]
    public void Validate_NoLimitsWritten_TheDocumentedDefaults(string kind)
    {
        var limits = Model($"upstreams: {{ a: {{ {kind} }} }}").Upstreams["a"].Limits;

        Assert.Equal(16L << 20, limits.MaxMessageBytes);
        Assert.Equal(1024, limits.MaxCallsInFlight);
        Assert.Equal(256, limits.MaxQueuedMessages);
        Assert.Equal(TimeSpan.FromSeconds(30), limits.PingInterval);
    }

    [Theory]
    [InlineData("command: npx")]
    [InlineData("url: \"https://crm.example.com/mcp\"")]
    public void Validate_LimitsWritten_ForEitherKind_AreTaken(string kind)
    {
        var limits = Model($"upstreams: {{ a: {{ {kind}, maxMessageBytes: 1MiB, maxCallsInFlight: 8, maxQueuedMessages: 16, pingInterval: 500ms }} }}").Upstreams["a"].Limits;

        Assert.Equal(1L << 20, limits.MaxMessageBytes);
        Assert.Equal(8, limits.MaxCallsInFlight);
        Assert.Equal(16, limits.MaxQueuedMessages);
        Assert.Equal(TimeSpan.FromMilliseconds(500), limits.PingInterval);
    }

    [Theory]
    [InlineData("maxMessageBytes: 16MB", "upstreams.a.maxMessageBytes: \"16MB\" is not a size; use \"16MiB\"")]
    [InlineData("maxMessageBytes: 512", "upstreams.a.maxMessageBytes: \"512\" is out of range; use from \"1KiB\" to \"1GiB\", e.g. \"16MiB\"")]
    [InlineData("maxMessageBytes: 2GiB", "upstreams.a.maxMessageBytes: \"2GiB\" is out of range; use from \"1KiB\" to \"1GiB\", e.g. \"16MiB\"")]
    [InlineData("maxCallsInFlight: 0", "upstreams.a.maxCallsInFlight: \"0\" is out of range; use a whole number from 1 to 100000")]
    [InlineData("maxCallsInFlight: many", "upstreams.a.maxCallsInFlight: \"many\" is not a whole number; use one from 1 to 100000")]
    [InlineData("maxQueuedMessages: -1", "upstreams.a.maxQueuedMessages: \"-1\" is not a whole number; use one from 1 to 100000")]
    [InlineData("maxQueuedMessages: 99999999999999999999", "upstreams.a.maxQueuedMessages: \"99999999999999999999\" is out of range; use a whole number from 1 to 100000")]
    [InlineData("pingInterval: 30", "upstreams.a.pingInterval: \"30\" is not a duration; use \"30s\"")]
    [InlineData("maxQueuedMessages: [1]", "upstreams.a.maxQueuedMessages: expected a whole number, found a list; use e.g. 256")]
    public void Validate_InvalidLimit_NamesKeyAndFix(string setting, string expected)
    {
        Assert.Equal([expected], Errors($"upstreams: {{ a: {{ command: npx, {setting} }} }}"));
    }
}
