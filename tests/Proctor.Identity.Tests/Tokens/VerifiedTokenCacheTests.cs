using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
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
        var provider = new KeyServer(Issuer, Jwks(oldKey, "k1"));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(1)); // past the tokens' nbf (now, whole seconds), well before their exp
        var authenticator = new JwtAuthenticator(Settings, new HttpClient(provider), time: time);
        var oldToken = Sign(oldKey, "k1");
        Assert.True((await authenticator.AuthenticateAsync(oldToken, CancellationToken.None)).Succeeded, "the token verifies before the rotation");

        provider.Jwks = Jwks(newKey, "k1");
        time.Advance(IssuerKeys.KeyRefreshFloor);
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

    private static string Jwks(RSA key, string kid) => KeyServer.JwksOf(key, kid);
}
