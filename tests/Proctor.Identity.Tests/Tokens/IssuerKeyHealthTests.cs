using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Proctor.Configuration;
using Proctor.Configuration.Models;
using Proctor.Identity.Tokens;

namespace Proctor.Identity.Tests.Tokens;

/// <summary>The identity part of readiness: whether each trusted issuer's keys can be had, without hammering a provider that is down.</summary>
public sealed class IssuerKeyHealthTests : IDisposable
{
    private const string Issuer = "https://login.example.com";

    private static readonly IdentitySettings Settings = new(new Uri("https://gateway.example.com/mcp"), [new Uri(Issuer)], "groups", ["RS256"], TimeSpan.FromSeconds(30));

    private readonly RSA _key = RSA.Create(2048);
    private readonly KeyServer _server;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 7, 28, 9, 0, 0, TimeSpan.Zero));
    private readonly JwtAuthenticator _authenticator;

    public IssuerKeyHealthTests()
    {
        _server = new KeyServer(Issuer, KeyServer.JwksOf(_key, "k1"));
        _authenticator = new JwtAuthenticator(Settings, new HttpClient(_server), time: _time);
    }

    [Fact]
    public async Task Check_ProviderReachable_IssuerReady()
    {
        var health = Assert.Single(await _authenticator.CheckAsync(CancellationToken.None));

        Assert.Equal((Issuer, IssuerKeyState.Ready), (health.Issuer, health.State));
    }

    [Fact]
    public async Task Check_ProviderDown_UnreachableAndRetriedOnlyAfterTheFloor()
    {
        _server.Down = true;

        var first = Assert.Single(await _authenticator.CheckAsync(CancellationToken.None));
        var requests = _server.Requests;
        for (var i = 0; i < 50; i++)
        {
            await _authenticator.CheckAsync(CancellationToken.None);
        }

        Assert.Equal(IssuerKeyState.Unreachable, first.State);
        Assert.Equal(requests, _server.Requests);

        _server.Down = false;
        _time.Advance(IssuerKeys.RetryFloor);
        var recovered = Assert.Single(await _authenticator.CheckAsync(CancellationToken.None));

        Assert.Equal(IssuerKeyState.Ready, recovered.State);
        Assert.Equal(_time.GetUtcNow(), recovered.Since);
    }

    [Fact]
    public async Task Authenticate_ProviderDown_TokensNamingItCannotHammerIt()
    {
        _server.Down = true;
        var token = KeyServer.Sign(_key, """{"alg":"RS256","kid":"k1"}""", $$"""{"iss":"{{Issuer}}","sub":"a","aud":"https://gateway.example.com/mcp","exp":4102444800}""");

        for (var i = 0; i < 50; i++)
        {
            var outcome = await _authenticator.AuthenticateAsync(token, CancellationToken.None);
            Assert.Equal((503, AuthenticationFailures.IssuerUnavailable, Issuer), (outcome.Status, outcome.Reason, outcome.Source));
        }

        Assert.InRange(_server.Requests, 1, 2);
        Assert.Equal(IssuerKeyState.Unreachable, Assert.Single(await _authenticator.CheckAsync(CancellationToken.None)).State);
    }

    public void Dispose()
    {
        _key.Dispose();
        _server.Dispose();
    }
}
