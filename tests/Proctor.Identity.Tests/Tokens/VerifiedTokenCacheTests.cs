using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Proctor.Configuration.Models;
using Proctor.Identity.Tokens;

namespace Proctor.Identity.Tests.Tokens;

/// <summary>The cache of verified tokens must not outlive the key that verified them.</summary>
public sealed class VerifiedTokenCacheTests
{
    private const string Issuer = "https://login.example.com";
    private const string Audience = "https://gateway.example.com/mcp";

    private static readonly IdentitySettings Settings = new(new Uri(Audience), [new Uri(Issuer)], "groups", ["RS256"], TimeSpan.Zero);

    [Fact]
    public async Task Authenticate_KeyReplacedUnderTheSameKid_CachedTokenOfTheOldKeyRefused()
    {
        using var oldKey = RSA.Create(2048);
        using var newKey = RSA.Create(2048);
        var provider = new KeyServer(Jwks(oldKey, "k1"));
        var authenticator = new JwtAuthenticator(Settings, new HttpClient(provider));
        var oldToken = Sign(oldKey, "k1");
        Assert.True((await authenticator.AuthenticateAsync(oldToken, CancellationToken.None)).Succeeded, "the token verifies before the rotation");

        provider.Jwks = Jwks(newKey, "k1");
        await authenticator.AuthenticateAsync(Sign(newKey, "k2"), CancellationToken.None); // an unknown kid makes the gateway refetch the keys

        var deadline = DateTime.UtcNow.AddSeconds(10);
        AuthenticationOutcome outcome;
        do
        {
            outcome = await authenticator.AuthenticateAsync(oldToken, CancellationToken.None);
            await Task.Delay(50);
        }
        while (outcome.Succeeded && DateTime.UtcNow < deadline);

        Assert.False(outcome.Succeeded, "a token signed with a withdrawn key still passed from the cache");
        Assert.True((await authenticator.AuthenticateAsync(Sign(newKey, "k1"), CancellationToken.None)).Succeeded, "the keys were refetched");
    }

    private static string Sign(RSA key, string kid) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        Claims = new Dictionary<string, object> { ["sub"] = "alice" },
        Expires = DateTime.UtcNow.AddMinutes(10),
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
    });

    private static string Jwks(RSA key, string kid)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        return $$"""{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"{{kid}}","n":"{{Base64UrlEncoder.Encode(parameters.Modulus)}}","e":"{{Base64UrlEncoder.Encode(parameters.Exponent)}}"}]}""";
    }

    /// <summary>The issuer's discovery document and its current key set.</summary>
    private sealed class KeyServer(string jwks) : HttpMessageHandler
    {
        public string Jwks { get; set; } = jwks;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.RequestUri!.AbsolutePath switch
            {
                "/.well-known/openid-configuration" => $$"""{"issuer":"{{Issuer}}","jwks_uri":"{{Issuer}}/jwks"}""",
                "/jwks" => Jwks,
                _ => null,
            };
            return Task.FromResult(body is null
                ? new HttpResponseMessage(HttpStatusCode.NotFound)
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
