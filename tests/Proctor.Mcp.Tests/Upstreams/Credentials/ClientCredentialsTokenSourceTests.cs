using System.Net;
using System.Text;
using Proctor.Configuration.Models;
using Proctor.Configuration.Models.Secrets;
using Proctor.Mcp.Upstreams.Credentials;

namespace Proctor.Mcp.Tests.Upstreams.Credentials;

public sealed class ClientCredentialsTokenSourceTests
{
    private const string Secret = "client-secret-canary-93ab";

    private static UpstreamOAuthSettings Settings(OAuthClientAuthentication method = OAuthClientAuthentication.Basic) => new(
        new Uri("https://login.example.com/oauth2/token"), "proctor gw", new SecretValue("${env:S}", Secret), "crm.read", "https://crm.example.com/mcp", null, method);

    [Fact]
    public async Task GetToken_Basic_SendsTheGrantWithEncodedCredentialsAndCachesUntilShortlyBeforeExpiry()
    {
        var time = new ManualTimeProvider();
        var server = new TokenServer(_ => (HttpStatusCode.OK, """{"access_token":"t1","token_type":"Bearer","expires_in":300}"""));
        var source = new ClientCredentialsTokenSource("crm", Settings(), new HttpMessageInvoker(server), time);

        Assert.Equal("t1", await source.GetTokenAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(269));
        Assert.Equal("t1", await source.GetTokenAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(1)); // 300 s less a 30 s margin (a tenth of the lifetime)
        await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(2, server.Requests.Count);
        var (authorization, body) = server.Requests[0];
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("proctor%20gw:" + Secret)), authorization);
        Assert.Equal("grant_type=client_credentials&scope=crm.read&resource=https%3A%2F%2Fcrm.example.com%2Fmcp", body);
    }

    [Fact]
    public async Task GetToken_Post_SendsCredentialsInTheForm()
    {
        var server = new TokenServer(_ => (HttpStatusCode.OK, """{"access_token":"t1","token_type":"bearer"}"""));
        var source = new ClientCredentialsTokenSource("crm", Settings(OAuthClientAuthentication.Post), new HttpMessageInvoker(server));

        await source.GetTokenAsync(CancellationToken.None);

        Assert.Null(server.Requests[0].Authorization);
        Assert.EndsWith($"&client_id=proctor+gw&client_secret={Secret}", server.Requests[0].Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, """{"error":"invalid_client","error_description":"bad secret client-secret-canary-93ab"}""", "refused the client credentials grant (401 invalid_client); check upstreams.crm.oauth.clientId and clientSecret")]
    [InlineData(HttpStatusCode.BadRequest, """{"error":"invalid_scope"}""", "(400 invalid_scope); check upstreams.crm.oauth.scope and resource/audience")]
    [InlineData(HttpStatusCode.OK, """{"token_type":"Bearer"}""", "answered without an access_token")]
    [InlineData(HttpStatusCode.OK, """{"access_token":"x","token_type":"DPoP"}""", "issued a 'DPoP' token; only Bearer tokens can be sent")]
    public async Task GetToken_Refused_NamesUpstreamAndFixWithoutTheSecret(HttpStatusCode status, string body, string expected)
    {
        var source = new ClientCredentialsTokenSource("crm", Settings(), new HttpMessageInvoker(new TokenServer(_ => (status, body))));

        var failure = await Assert.ThrowsAsync<UpstreamCredentialsException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.StartsWith("the gateway has no access token for it: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetToken_Unreachable_SaysSo()
    {
        var source = new ClientCredentialsTokenSource("crm", Settings(), new HttpMessageInvoker(new TokenServer(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused"))));

        var failure = await Assert.ThrowsAsync<UpstreamCredentialsException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal("the gateway has no access token for it: the token endpoint https://login.example.com/oauth2/token cannot be reached (ConnectionError); check upstreams.crm.oauth.tokenUrl and the network.", failure.Message);
    }

    [Fact]
    public async Task Invalidate_NextCallFetchesAgain()
    {
        var server = new TokenServer(_ => (HttpStatusCode.OK, """{"access_token":"t1","expires_in":3600}"""));
        var source = new ClientCredentialsTokenSource("crm", Settings(), new HttpMessageInvoker(server));

        var token = await source.GetTokenAsync(CancellationToken.None);
        source.Invalidate(token);
        await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(2, server.Requests.Count);
    }

    private sealed class TokenServer(Func<HttpRequestMessage, (HttpStatusCode Status, string Body)> answer) : HttpMessageHandler
    {
        public List<(string? Authorization, string Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request.Headers.Authorization?.ToString(), await request.Content!.ReadAsStringAsync(cancellationToken)));
            var (status, body) = answer(request);
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}
