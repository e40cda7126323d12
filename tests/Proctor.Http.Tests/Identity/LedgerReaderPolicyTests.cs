using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Proctor.Configuration.Models;
using Proctor.Http.Identity;
using Proctor.Identity.AgentKeys;

namespace Proctor.Http.Tests.Identity;

/// <summary>
/// The <c>/api</c> policy's refusals through ASP.NET Core's evaluator: a requirement's own refusal is answered as
/// itself (403 with its code and no challenge), even for a request no credential verified; only an unverified
/// caller with nothing else against it is challenged.
/// </summary>
public sealed class LedgerReaderPolicyTests
{
    private static readonly IdentitySettings Settings = TestIdentity.Settings;

    private readonly OneKeyStore _store = new("auditors");

    private BearerAuthentication Bearer(IdentitySettings? settings) => TestIdentity.Bearer(_store, settings);

    [Fact]
    public async Task Read_WithoutIdentitySection_Refused403IdentityNotConfigured()
    {
        var context = Request(null);

        Assert.False(await Admission.AdmitReadAsync(Bearer(null), context));

        Assert.Equal((403, "identity_not_configured"), (context.Response.StatusCode, await ErrorAsync(context)));
        Assert.Empty(context.Response.Headers.WWWAuthenticate.ToString());
    }

    [Fact]
    public async Task Read_AgentKey_Refused403InsufficientRoleWithoutChallenge()
    {
        var context = Request($"Bearer {_store.Key}");

        Assert.False(await Admission.AdmitReadAsync(Bearer(Settings), context));

        Assert.Equal((403, "insufficient_role"), (context.Response.StatusCode, await ErrorAsync(context)));
        Assert.Empty(context.Response.Headers.WWWAuthenticate.ToString());
    }

    [Fact]
    public async Task Read_NoToken_Challenged401()
    {
        var context = Request(null);

        Assert.False(await Admission.AdmitReadAsync(Bearer(Settings), context));

        Assert.Equal((401, "unauthorized"), (context.Response.StatusCode, await ErrorAsync(context)));
        Assert.StartsWith("Bearer resource_metadata=\"https://gateway.example.com/.well-known/oauth-protected-resource/api/sessions\"", context.Response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
    }

    private static DefaultHttpContext Request(string? authorization)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/api/sessions";
        context.Response.Body = new MemoryStream();
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        return context;
    }

    private static async Task<string?> ErrorAsync(HttpContext context)
    {
        context.Response.Body.Position = 0;
        var body = await JsonNode.ParseAsync(context.Response.Body);
        return (string?)body?["error"];
    }
}
