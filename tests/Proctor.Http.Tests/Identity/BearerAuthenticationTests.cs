using Microsoft.AspNetCore.Http;
using Proctor.Configuration.Models;
using Proctor.Configuration.Models.Secrets;
using Proctor.Http.Identity;
using Proctor.Identity.AgentKeys;
using Proctor.Identity.Tokens;
using Proctor.Mcp.Pipeline;

namespace Proctor.Http.Tests.Identity;

/// <summary>The bearer check with agent keys and scopes; JWTs are covered against a real provider in the functional tests.</summary>
public sealed class BearerAuthenticationTests
{
    private static readonly IdentitySettings Settings = TestIdentity.Settings with
    {
        ScopesSupported = ["mcp:bank.read", "mcp:bank.write"],
    };

    private static readonly IReadOnlyDictionary<string, UpstreamModel> Upstreams = new Dictionary<string, UpstreamModel>
    {
        ["bank"] = new HttpUpstreamModel("bank", TimeSpan.FromSeconds(30), new Uri("http://127.0.0.1:1/mcp"), new Dictionary<string, SecretValue>(), UpstreamEra.Auto, false) { RequiredScopes = ["mcp:bank.read"] },
        ["open"] = new HttpUpstreamModel("open", TimeSpan.FromSeconds(30), new Uri("http://127.0.0.1:2/mcp"), new Dictionary<string, SecretValue>(), UpstreamEra.Auto, false),
    };

    private readonly OneKeyStore _store = new("batch");

    private BearerAuthentication Bearer(IdentitySettings? settings = null) =>
        new(settings ?? Settings, new JwtAuthenticator(Settings, new HttpClient(new NoNetwork())), new AgentKeyAuthenticator(_store), Upstreams);

    private static DefaultHttpContext Request(string? authorization, string path = "/mcp/open")
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        return context;
    }

    [Fact]
    public async Task AgentKey_Valid_CallerIsTheAgent()
    {
        var context = Request($"Bearer {_store.Key}");

        Assert.True(await Admission.AdmitAsync(Bearer(), context, "open"));

        var caller = Assert.IsType<Caller>(context.Features.Get<ICallerFeature>()?.Caller);
        Assert.Equal(("agent:ci-bot", "agent-key", "proctor:agent-keys"), (caller.Subject, caller.AuthenticationMethod, caller.Issuer));
        Assert.Equal(["batch"], caller.Groups);
        Assert.Empty(caller.Scopes);
    }

    [Fact]
    public async Task AgentKey_WhenAgentKeysOff_Refused401()
    {
        var context = Request($"Bearer {_store.Key}");

        Assert.False(await Admission.AdmitAsync(Bearer(Settings with { AgentKeys = false }), context, "open"));

        Assert.Equal(401, context.Response.StatusCode);
        Assert.Contains("Agent keys are not accepted by this gateway (identity.agentKeys is false)", context.Response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentKey_OnAnUpstreamRequiringScopes_Refused403InsufficientScope()
    {
        var context = Request($"Bearer {_store.Key}", "/mcp/bank");

        Assert.False(await Admission.AdmitAsync(Bearer(), context, "bank"));

        Assert.Equal(403, context.Response.StatusCode);
        Assert.Equal(
            "Bearer resource_metadata=\"https://gateway.example.com/.well-known/oauth-protected-resource/mcp/bank\", scope=\"mcp:bank.read\", error=\"insufficient_scope\", error_description=\"Server 'bank' requires the scope(s) mcp:bank.read; the token lacks mcp:bank.read. Request a token with scope='mcp:bank.read'.\"",
            context.Response.Headers.WWWAuthenticate.ToString());
    }

    [Theory]
    [InlineData("/mcp/bank", "bank", "scope=\"mcp:bank.read\"")]
    [InlineData("/mcp", null, "scope=\"mcp:bank.read mcp:bank.write\"")]
    public async Task NoToken_ChallengeNamesTheScopeToAskFor(string path, string? server, string expected)
    {
        var context = Request(null, path);

        Assert.False(await Admission.AdmitAsync(Bearer(), context, server));

        Assert.Equal(401, context.Response.StatusCode);
        Assert.Contains(expected, context.Response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
    }
}
