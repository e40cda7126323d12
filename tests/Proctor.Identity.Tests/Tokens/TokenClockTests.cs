using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Proctor.Configuration.Models;
using Proctor.Identity.Tokens;

namespace Proctor.Identity.Tests.Tokens;

/// <summary>
/// Every time the authenticator judges (a token's lifetime, when keys may be fetched again) comes from its
/// <see cref="TimeProvider"/>, never the system clock: the clocks here sit years away from the real one, so a
/// judgement that read the system clock gives the other answer.
/// </summary>
public sealed class TokenClockTests
{
    private const string Issuer = "https://login.example.com";
    private const string Audience = "https://gateway.example.com/mcp";
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);
    private static readonly IdentitySettings Settings = new(new Uri(Audience), [new Uri(Issuer)], "groups", ["RS256"], Skew);

    /// <summary>Years after any real clock this suite runs on, and years before.</summary>
    private static readonly DateTimeOffset Future = new(2041, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Past = new(2011, 3, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>One key for the class: generating one per case costs more than the case.</summary>
    private static readonly RSA Key = RSA.Create(2048);

    public static TheoryData<string, DateTimeOffset, TimeSpan?, TimeSpan, string?> Lifetimes => new()
    {
        // name, the gateway's clock, nbf and exp relative to it, the expected refusal (null: accepted)
        { "expired beyond the skew", Future, null, -Skew - TimeSpan.FromSeconds(1), AuthenticationFailures.Expired },
        { "expired within the skew", Future, null, -Skew + TimeSpan.FromSeconds(1), null },
        { "valid for a minute", Future, null, TimeSpan.FromMinutes(1), null },
        { "not yet valid beyond the skew", Past, Skew + TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), AuthenticationFailures.NotYetValid },
        { "not yet valid within the skew", Past, Skew - TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), null },
        { "valid from a minute ago", Past, TimeSpan.FromMinutes(-1), TimeSpan.FromHours(1), null },
    };

    [Theory]
    [MemberData(nameof(Lifetimes))]
    public async Task Authenticate_LifetimeAgainstTheGatewayClock_JudgedByThatClock(string name, DateTimeOffset now, TimeSpan? notBefore, TimeSpan expires, string? refusal)
    {
        var time = new FakeTimeProvider(now);
        var authenticator = new JwtAuthenticator(Settings, new HttpClient(new KeyServer(Issuer, KeyServer.JwksOf(Key, "k1"))), time: time);

        var outcome = await authenticator.AuthenticateAsync(Sign(Key, "k1", now + notBefore, now + expires), CancellationToken.None);

        Assert.True(refusal == outcome.Reason, $"{name}: expected {refusal ?? "acceptance"}, got {outcome.Reason ?? "acceptance"}");
    }

    [Fact]
    public async Task Authenticate_CachedTokenPastItsExpiryOnTheGatewayClock_RefusedAsExpired()
    {
        var time = new FakeTimeProvider(Future);
        var authenticator = new JwtAuthenticator(Settings, new HttpClient(new KeyServer(Issuer, KeyServer.JwksOf(Key, "k1"))), time: time);
        var token = Sign(Key, "k1", null, Future + TimeSpan.FromMinutes(1));
        Assert.True((await authenticator.AuthenticateAsync(token, CancellationToken.None)).Succeeded);

        time.Advance(TimeSpan.FromMinutes(1) + Skew + TimeSpan.FromSeconds(1));

        Assert.Equal(AuthenticationFailures.Expired, (await authenticator.AuthenticateAsync(token, CancellationToken.None)).Reason);
    }

    [Fact]
    public async Task Authenticate_UnknownKidWithinTheRefreshFloor_FetchesNothingUntilTheFloorPasses()
    {
        using var rotated = RSA.Create(2048);
        var provider = new KeyServer(Issuer, KeyServer.JwksOf(Key, "k1"));
        var time = new FakeTimeProvider(Future);
        var authenticator = new JwtAuthenticator(Settings, new HttpClient(provider), time: time);
        Assert.True((await authenticator.AuthenticateAsync(Sign(Key, "k1", null, Future.AddHours(1)), CancellationToken.None)).Succeeded);
        provider.Jwks = KeyServer.JwksOf(rotated, "k2");
        var fetched = provider.Requests;

        time.Advance(IssuerKeys.KeyRefreshFloor - TimeSpan.FromSeconds(1));
        for (var i = 0; i < 20; i++)
        {
            var refused = await authenticator.AuthenticateAsync(Sign(rotated, "k2", null, Future.AddHours(1)), CancellationToken.None);
            Assert.Equal(AuthenticationFailures.UnknownKey, refused.Reason);
        }

        await Task.Delay(200); // real time: a refetch, had one been asked for, runs in the library's background task
        Assert.Equal(fetched, provider.Requests);

        time.Advance(TimeSpan.FromSeconds(1));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        AuthenticationOutcome outcome;
        do
        {
            outcome = await authenticator.AuthenticateAsync(Sign(rotated, "k2", null, Future.AddHours(1)), CancellationToken.None);
            await Task.Delay(20);
        }
        while (!outcome.Succeeded && DateTime.UtcNow < deadline);

        Assert.True(outcome.Succeeded, $"the keys were not fetched again once the floor had passed: {outcome.Reason}");
    }

    private static string Sign(RSA key, string kid, DateTimeOffset? notBefore, DateTimeOffset expires) => new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        Claims = new Dictionary<string, object> { ["sub"] = "alice" },
        NotBefore = notBefore?.UtcDateTime,
        Expires = expires.UtcDateTime,
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
    });
}
