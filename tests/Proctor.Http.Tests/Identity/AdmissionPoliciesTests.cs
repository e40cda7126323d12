using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Proctor.Http.Identity;
using Proctor.Identity.AgentKeys;

namespace Proctor.Http.Tests.Identity;

/// <summary>
/// Only endpoints with an admission policy read a credential: the <c>Proctor</c> scheme is nobody's default, so ASP.NET
/// Core's authentication middleware, which runs for every request, checks none.
/// </summary>
public sealed class AdmissionPoliciesTests
{
    private readonly OneKeyStore _store = new("batch");

    [Fact]
    public async Task Scheme_IsNoDefault()
    {
        await using var provider = Services();
        var schemes = provider.GetRequiredService<IAuthenticationSchemeProvider>();

        Assert.NotNull(await schemes.GetSchemeAsync(ProctorAuthenticationHandler.SchemeName));
        Assert.Null(await schemes.GetDefaultAuthenticateSchemeAsync());
        Assert.Null(await schemes.GetDefaultChallengeSchemeAsync());
    }

    public static TheoryData<string> Credentials => new() { "valid agent key", "unknown agent key", "malformed token" };

    [Theory]
    [MemberData(nameof(Credentials))]
    public async Task AuthenticationMiddleware_RequestWithACredential_ChecksNothing(string credential)
    {
        await using var provider = Services();
        var context = new DefaultHttpContext { RequestServices = provider };
        context.Request.Path = "/healthz";
        context.Request.Headers.Authorization = "Bearer " + credential switch
        {
            "valid agent key" => _store.Key,
            "unknown agent key" => AgentKeyFormat.NewKey(),
            _ => "not.a.token",
        };
        var reached = false;
        var middleware = new AuthenticationMiddleware(_ =>
        {
            reached = true;
            return Task.CompletedTask;
        }, provider.GetRequiredService<IAuthenticationSchemeProvider>());

        await middleware.Invoke(context);

        Assert.True(reached);
        Assert.Equal(0, _store.Lookups);
        Assert.Null(context.Features.Get<ICallerFeature>());
        Assert.False(context.User.Identity?.IsAuthenticated ?? false);
    }

    [Fact]
    public async Task McpPolicy_ValidAgentKey_StillAdmitsItsCaller()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = "Bearer " + _store.Key;

        Assert.True(await Admission.AdmitAsync(Bearer(), context, "bank"));

        Assert.Equal(1, _store.Lookups);
        Assert.Equal("agent:ci-bot", context.Features.Get<ICallerFeature>()?.Caller.Subject);
    }

    /// <summary>Tokens whose segments end in a base64url character with stray low bits: the JWT reader threw on them.</summary>
    public static TheoryData<string> StrayBitTokens => new() { "not.a.token", "eyJhbGciOiJSUzI1NiJ9.eB.c2ln", "eB.e30.c2ln" };

    [Theory]
    [MemberData(nameof(StrayBitTokens))]
    public async Task McpPolicy_TokenWithStrayLowBits_Refused401WithTheChallenge(string token)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/mcp/bank";
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("gateway.example.com");
        context.Response.Body = new MemoryStream();
        context.Request.Headers.Authorization = "Bearer " + token;

        Assert.False(await Admission.AdmitAsync(Bearer(), context, "bank"));

        Assert.Equal(401, context.Response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", context.Response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Contains("\"code\"", body, StringComparison.Ordinal); // a JSON-RPC error, not an exception page
        Assert.DoesNotContain(token, body, StringComparison.Ordinal);
        Assert.Null(context.Features.Get<ICallerFeature>());
    }

    private BearerAuthentication Bearer() => TestIdentity.Bearer(_store, TestIdentity.Settings);

    private ServiceProvider Services()
    {
        var services = new ServiceCollection().AddLogging().AddRouting().AddSingleton(Bearer());
        services.AddProctorAdmission();
        return services.BuildServiceProvider();
    }
}
