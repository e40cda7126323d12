using Microsoft.AspNetCore.Http;
using Proctor.Http.Mcp;

namespace Proctor.Http.Tests.Mcp;

/// <summary>DNS-rebinding protection: a present Origin must be allowed; loopback-only gateways answer loopback host names only.</summary>
public sealed class OriginPolicyTests
{
    private static HttpRequest Request(string host, string? origin)
    {
        var request = new DefaultHttpContext().Request;
        request.Host = new HostString(host);
        if (origin is not null)
        {
            request.Headers.Origin = origin;
        }

        return request;
    }

    private static string? Refusal(bool loopbackOnly, string host, string? origin, params string[] allowed) =>
        new OriginPolicy(new McpHttpOptions(1_000_000, allowed, loopbackOnly)).Refusal(Request(host, origin));

    [Theory]
    [InlineData(true, "localhost:8080", null)]
    [InlineData(true, "127.0.0.1:8080", null)]
    [InlineData(true, "127.0.0.2", null)]
    [InlineData(true, "[::1]:8080", null)]
    [InlineData(false, "gateway.example.com", null)]
    [InlineData(false, "10.0.0.5:443", null)]
    [InlineData(true, "localhost:8080", "http://localhost:3000")]
    [InlineData(true, "localhost:8080", "http://127.0.0.1:5173")]
    [InlineData(true, "localhost:8080", "http://[::1]:8080")]
    [InlineData(true, "localhost:8080", "https://app.example.com")]
    [InlineData(false, "gateway.example.com", "https://app.example.com")]
    [InlineData(false, "gateway.example.com", "HTTPS://APP.EXAMPLE.COM")]
    public void Refusal_AllowedRequest_IsNull(bool loopbackOnly, string host, string? origin)
    {
        Assert.Null(Refusal(loopbackOnly, host, origin, "https://app.example.com"));
    }

    [Theory]
    [InlineData(false, "gateway.example.com", "https://evil.example")]
    [InlineData(true, "localhost:8080", "https://evil.example")]
    [InlineData(false, "gateway.example.com", "http://localhost:3000")]
    [InlineData(true, "localhost:8080", "null")]
    [InlineData(true, "localhost:8080", "https://app.example.com.evil.example")]
    public void Refusal_OriginNotAllowed_NamesTheOriginAndTheSetting(bool loopbackOnly, string host, string origin)
    {
        var refusal = Refusal(loopbackOnly, host, origin, "https://app.example.com");

        Assert.NotNull(refusal);
        Assert.Contains($"'{origin}'", refusal);
        Assert.Contains("gateway.allowedOrigins", refusal);
    }

    [Theory]
    [InlineData("gateway.example.com")]
    [InlineData("attacker.example:8080")]
    [InlineData("192.168.1.10")]
    public void Refusal_LoopbackOnlyAndForeignHost_NamesTheHost(string host)
    {
        var refusal = Refusal(true, host, null);

        Assert.NotNull(refusal);
        Assert.Contains($"'{new HostString(host).Host}'", refusal);
    }

    [Theory]
    [InlineData("127.attacker.example")]
    [InlineData("127.0.0.1.nip.io")]
    public void Refusal_LoopbackOnlyAndARebindingHostName_IsRefused(string host)
    {
        // A DNS name the attacker controls can resolve to 127.0.0.1; only loopback addresses and
        // "localhost" are loopback names.
        Assert.NotNull(Refusal(true, host, null));
    }

    [Theory]
    [InlineData("http://127.attacker.example")]
    [InlineData("http://127.0.0.1.nip.io:8080")]
    public void Refusal_LoopbackOnlyAndARebindingOrigin_IsRefused(string origin)
    {
        Assert.NotNull(Refusal(true, "localhost:8080", origin));
    }
}
