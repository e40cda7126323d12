using System.Text;
using Proctor.Configuration.Models;
using Proctor.Identity.Tokens;

namespace Proctor.Identity.Tests.Tokens;

/// <summary>
/// Refusals decided before any key is fetched (the HTTP handler below fails the test if one is).
/// Signature, audience, lifetime and rotation are tested against a real provider in
/// Proctor.FunctionalTests.Identity.
/// </summary>
public sealed class JwtAuthenticatorTests
{
    private static readonly IdentitySettings Settings = new(
        new Uri("https://gateway.example.com/mcp"),
        [new Uri("https://login.example.com")],
        "groups",
        ["RS256", "ES256"],
        TimeSpan.FromSeconds(30));

    private static JwtAuthenticator Authenticator() => new(Settings, new HttpClient(new NoNetwork()));

    private static string Token(string header, string payload) =>
        $"{Base64(header)}.{Base64(payload)}.c2lnbmF0dXJl";

    private static string Base64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Fact]
    public async Task Authenticate_NotAJwt_RefusedAsInvalidToken()
    {
        var outcome = await Authenticator().AuthenticateAsync("opaque-token-value", CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal(401, outcome.Status);
        Assert.Equal("invalid_token", outcome.Error);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("HS256")]
    [InlineData("RS512")]
    public async Task Authenticate_AlgorithmNotAllowed_RefusedNamingTheAlgorithm(string algorithm)
    {
        var token = Token($$"""{"alg":"{{algorithm}}","typ":"JWT"}""", """{"iss":"https://login.example.com","aud":"https://gateway.example.com/mcp","sub":"x","exp":4102444800}""");

        var outcome = await Authenticator().AuthenticateAsync(token, CancellationToken.None);

        Assert.Equal(401, outcome.Status);
        Assert.Contains($"'{algorithm}' are refused", outcome.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_IssuerNotConfigured_RefusedWithoutContactingIt()
    {
        var token = Token("""{"alg":"RS256","typ":"JWT","kid":"k1"}""", """{"iss":"https://evil.example.com","aud":"https://gateway.example.com/mcp","sub":"x","exp":4102444800}""");

        var outcome = await Authenticator().AuthenticateAsync(token, CancellationToken.None);

        Assert.Equal(401, outcome.Status);
        Assert.Equal(AuthenticationFailures.UntrustedIssuer, outcome.Reason);
        Assert.Contains("not trusted here; trusted: https://login.example.com", outcome.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("evil", outcome.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_ProviderUnreachable_RefusesWith503()
    {
        var token = Token("""{"alg":"RS256","typ":"JWT","kid":"k1"}""", """{"iss":"https://login.example.com","aud":"https://gateway.example.com/mcp","sub":"x","exp":4102444800}""");

        var outcome = await new JwtAuthenticator(Settings, new HttpClient(new Unreachable())).AuthenticateAsync(token, CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.True(outcome.Status == 503, outcome.Description);
        Assert.Contains("could not be fetched", outcome.Description, StringComparison.Ordinal);
    }

    private sealed class NoNetwork : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"This refusal must not fetch anything, but {request.RequestUri} was requested.");
    }

    private sealed class Unreachable : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("connection refused");
    }
}
