using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Identity;

/// <summary>
/// The gateway as OAuth resource server against a real OpenID provider (oidc-provider): good tokens
/// pass for both eras; every kind of bad token is refused with 401 and a reason; RFC 9728 metadata.
/// </summary>
[Collection(nameof(IdentityCollection))]
public sealed class BearerTokenTests(IdentityGateway identity)
{
    private Uri Endpoint => identity.Gateway.Mcp("everything");

    [Theory]
    [InlineData("2025-11-25")]
    [InlineData("2026-07-28")]
    public async Task ValidToken_BothEras_CallsGoThrough(string version)
    {
        var token = await identity.TokenAsync();
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = Endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
        });
        await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = version });

        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "authenticated" });

        Assert.Contains("authenticated", Clients.Text(echo));
    }

    [Fact]
    public async Task NoToken_Returns401WithResourceMetadataThatNamesTheIssuer()
    {
        var (response, body) = await RawMcp.PostAsync(Endpoint, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith("Bearer resource_metadata=\"", challenge, StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer", (string)body!["error"]!["message"]!, StringComparison.Ordinal);
        var metadataUrl = challenge.Split('"')[1];
        Assert.EndsWith("/.well-known/oauth-protected-resource/mcp/everything", metadataUrl, StringComparison.Ordinal);
        using var http = new HttpClient();
        var metadata = await http.GetFromJsonAsync<JsonObject>(metadataUrl);
        Assert.Equal(identity.Resource, (string?)metadata!["resource"]);
        Assert.Equal(identity.Provider.IssuerIdentifier, (string?)metadata["authorization_servers"]![0]);
    }

    public static TheoryData<string, string> BadTokens() => new()
    {
        { "garbage", "not a well-formed JWT" },
        { "alg-none", "Tokens signed with 'none' are refused" },
        { "hs256-with-public-key", "Tokens signed with 'HS256' are refused" },
        { "wrong-audience", "audience" },
        { "tampered", "signature" },
        { "untrusted-issuer", "not trusted" },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task BadToken_IsRefusedWith401AndAReason(string kind, string reason)
    {
        var token = kind switch
        {
            "garbage" => "this-is-not-a-token",
            "alg-none" => identity.Provider.ForgeUnsigned(identity.Resource),
            "hs256-with-public-key" => identity.Provider.ForgeHs256WithPublicKey(identity.Resource),
            "wrong-audience" => await identity.Provider.TokenAsync("analyst", "https://some-other-server.example/mcp"),
            "tampered" => OidcProvider.Tamper(await identity.TokenAsync()),
            "untrusted-issuer" => await UntrustedTokenAsync(identity.Resource),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var (response, body) = await RawMcp.PostAsync(Endpoint, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""",
            new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.True(((string)body!["error"]!["message"]!).Contains(reason, StringComparison.Ordinal), $"{kind}: {body["error"]!["message"]}");
        Assert.False(response.Headers.Contains("Mcp-Session-Id"));
    }

    [Fact]
    public async Task TokenInQueryString_IsRefused()
    {
        var token = await identity.TokenAsync();

        var (response, body) = await RawMcp.PostAsync(new Uri(Endpoint + "?access_token=" + token), """{"jsonrpc":"2.0","id":1,"method":"ping"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("query string", (string)body!["error"]!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LegacySession_ReplayedByAnotherIdentity_Returns403()
    {
        var analyst = new Dictionary<string, string> { ["Authorization"] = $"Bearer {await identity.TokenAsync("analyst")}" };
        var session = await RawMcp.InitializeAsync(Endpoint, analyst);
        var supervisor = new Dictionary<string, string> { ["Authorization"] = $"Bearer {await identity.TokenAsync("supervisor")}", ["Mcp-Session-Id"] = session };

        var (response, body) = await RawMcp.PostAsync(Endpoint, """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""", supervisor);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("another identity", (string)body!["error"]!["message"]!, StringComparison.Ordinal);
    }

    private static async Task<string> UntrustedTokenAsync(string resource)
    {
        await using var other = await OidcProvider.StartAsync();
        return await other.TokenAsync("analyst", resource);
    }
}
