using System.Net;
using Proctor.Configuration.Models;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Stages;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Tests.Upstreams;

namespace Proctor.Mcp.Tests.Pipeline.Stages;

public sealed class AuthenticateStageTests
{
    private static readonly ScriptedUpstream Upstream = ScriptedUpstream.Answering("bank");

    [Fact]
    public async Task Invoke_CallerWithSubject_RunsNext()
    {
        var next = new Calls.RecordingNext();
        var context = Calls.Context(Upstream);

        await new AuthenticateStage().InvokeAsync(context, next.Invoke, CancellationToken.None);

        Assert.Equal(1, next.Runs);
        Assert.Null(context.Refusal);
    }

    [Fact]
    public async Task Invoke_AnonymousCaller_RunsNext()
    {
        var next = new Calls.RecordingNext();
        var context = Calls.Context(Upstream, caller: Caller.Anonymous(IPAddress.Loopback, null, "2025-11-25"));

        await new AuthenticateStage().InvokeAsync(context, next.Invoke, CancellationToken.None);

        Assert.Equal(1, next.Runs);
    }

    [Fact]
    public async Task Invoke_NoSubject_RefusesWithReasonCodeAndDoesNotRunNext()
    {
        var next = new Calls.RecordingNext();
        var context = Calls.Context(Upstream, caller: new Caller("", "none", null, null, "2025-11-25"));

        await new AuthenticateStage().InvokeAsync(context, next.Invoke, CancellationToken.None);

        Assert.Equal(0, next.Runs);
        Assert.Equal(ReasonCodes.NoCaller, context.Refusal?.ReasonCode);
        Assert.Equal(JsonRpcErrorCodes.Refused, (int)context.Response!["error"]!["code"]!);
        Assert.Equal(7, (int)context.Response["id"]!);
    }

    [Fact]
    public void Invoke_NothingToAwait_ReturnsNextsTaskDirectly()
    {
        var pending = new TaskCompletionSource();

        var returned = new AuthenticateStage().InvokeAsync(Calls.Context(Upstream), (_, _) => pending.Task, CancellationToken.None);

        Assert.Same(pending.Task, returned);
    }

    private static readonly IReadOnlyDictionary<string, Configuration.Models.UpstreamModel> Strict = new Dictionary<string, Configuration.Models.UpstreamModel>
    {
        ["bank"] = new Configuration.Models.HttpUpstreamModel("bank", TimeSpan.FromSeconds(30), new Uri("http://127.0.0.1:1/mcp"), new Dictionary<string, Configuration.Models.Secrets.SecretValue>(), Configuration.Models.UpstreamEra.Auto, false)
        {
            RequireMfa = true,
            MaxAuthenticationAge = TimeSpan.FromHours(1),
        },
    };

    private static Caller Signed(string[] amr, TimeSpan ago) => new("alice", "oidc", IPAddress.Loopback, null, "2025-11-25")
    {
        Issuer = "https://login.example.com",
        AuthenticationMethods = amr,
        AuthenticatedAt = DateTimeOffset.UtcNow - ago,
    };

    [Theory]
    [InlineData(new[] { "pwd", "mfa" }, 10, null)]
    [InlineData(new[] { "pwd", "otp" }, 10, null)]
    [InlineData(new[] { "hwk" }, 10, null)]
    [InlineData(new[] { "pwd", "sms" }, 10, null)]
    [InlineData(new[] { "pwd" }, 10, ReasonCodes.MfaRequired)]
    [InlineData(new string[0], 10, ReasonCodes.MfaRequired)]
    [InlineData(new[] { "pwd", "mfa" }, 7200, ReasonCodes.AuthenticationTooOld)]
    public async Task Invoke_UpstreamRequiresMfaAndRecentSignIn_RefusesWhatFallsShort(string[] amr, int secondsAgo, string? reason)
    {
        var next = new Calls.RecordingNext();
        var context = Calls.Context(Upstream, caller: Signed(amr, TimeSpan.FromSeconds(secondsAgo)));

        await new AuthenticateStage(Strict).InvokeAsync(context, next.Invoke, CancellationToken.None);

        Assert.Equal(reason, context.Refusal?.ReasonCode);
        Assert.Equal(reason is null ? 1 : 0, next.Runs);
    }

    [Fact]
    public async Task Invoke_NoAuthTimeWhereAnAgeIsRequired_Refuses()
    {
        var next = new Calls.RecordingNext();
        var caller = Signed(["pwd", "mfa"], TimeSpan.Zero) with { AuthenticatedAt = null };
        var context = Calls.Context(Upstream, caller: caller);

        await new AuthenticateStage(Strict).InvokeAsync(context, next.Invoke, CancellationToken.None);

        Assert.Equal(ReasonCodes.AuthenticationTooOld, context.Refusal?.ReasonCode);
        Assert.Contains("auth_time", context.Refusal!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "mcp:bank.read", "mcp:bank.write" }, null)]
    [InlineData(new[] { "mcp:bank.read", "other" }, null)]
    [InlineData(new[] { "mcp:bank.write" }, ReasonCodes.InsufficientScope)]
    [InlineData(new string[0], ReasonCodes.InsufficientScope)]
    public async Task Invoke_UpstreamRequiresScopes_RefusesATokenLackingOne(string[] scopes, string? reason)
    {
        var scoped = new Dictionary<string, Configuration.Models.UpstreamModel>
        {
            ["bank"] = Strict["bank"] with { RequireMfa = false, MaxAuthenticationAge = null, RequiredScopes = ["mcp:bank.read"] },
        };
        var next = new Calls.RecordingNext();
        var context = Calls.Context(Upstream, caller: Signed(["pwd"], TimeSpan.Zero) with { Scopes = scopes });

        await new AuthenticateStage(scoped).InvokeAsync(context, next.Invoke, CancellationToken.None);

        Assert.Equal(reason, context.Refusal?.ReasonCode);
        Assert.Equal(reason is null ? 1 : 0, next.Runs);
        if (reason is not null)
        {
            Assert.Contains("requires the scope(s) mcp:bank.read; your token lacks mcp:bank.read", context.Refusal!.Message, StringComparison.Ordinal);
        }
    }

    private static readonly IReadOnlyDictionary<string, UpstreamModel> StrictWithScope = new Dictionary<string, UpstreamModel>
    {
        ["bank"] = Strict["bank"] with { RequiredScopes = ["mcp:bank.read"] },
    };

    private static CallContext Unsubscribe(Caller caller) =>
        Calls.Context(Upstream, Json.Object("{'jsonrpc':'2.0','id':'proctor-release-1','method':'resources/unsubscribe','params':{'uri':'bank://accounts'}}"), caller);

    [Fact]
    public async Task Invoke_GatewayReleasingASubscription_PassesAnUpstreamRequiringMfaScopeAndRecentSignIn()
    {
        var next = new Calls.RecordingNext();
        var context = Unsubscribe(Caller.Gateway("0123456789abcdef0123456789abcdef", "2025-11-25"));

        await new AuthenticateStage(StrictWithScope).InvokeAsync(context, next.Invoke, CancellationToken.None);

        Assert.Null(context.Refusal);
        Assert.Equal(1, next.Runs);
    }

    [Theory]
    [InlineData("tools/call")]
    [InlineData("tools/list")]
    [InlineData("resources/read")]
    [InlineData("resources/subscribe")]
    [InlineData("prompts/get")]
    [InlineData("completion/complete")]
    [InlineData("logging/setLevel")]
    [InlineData("sampling/createMessage")]
    public async Task Invoke_GatewayIdentityOnAnythingButHousekeeping_IsRefused(string method)
    {
        var next = new Calls.RecordingNext();
        var context = Calls.Context(Upstream, Json.Object($"{{'jsonrpc':'2.0','id':1,'method':'{method}','params':{{}}}}"), Caller.Gateway(null, "2025-11-25"));

        await new AuthenticateStage().InvokeAsync(context, next.Invoke, CancellationToken.None);

        Assert.Equal(0, next.Runs);
        Assert.Equal(ReasonCodes.GatewayHousekeepingOnly, context.Refusal?.ReasonCode);
    }

    /// <summary>Every caller a transport can build, even one named like the gateway, is held to the upstream's requirements.</summary>
    public static TheoryData<Caller> CallersTransportsBuild => new()
    {
        Caller.Anonymous(IPAddress.Loopback, null, "2025-11-25"),
        Caller.Anonymous(IPAddress.Loopback, null, "2025-11-25") with { Subject = Caller.GatewaySubject },
        new Caller(Caller.GatewaySubject, "oidc", IPAddress.Loopback, null, "2025-11-25") { Issuer = "https://login.example.com" },
        new Caller(Caller.GatewaySubject, "agent-key", IPAddress.Loopback, null, "2025-11-25") { Issuer = "proctor:agent-keys" },
        new Caller(Caller.GatewaySubject, Caller.GatewayMethod, IPAddress.Loopback, null, "2025-11-25") { Issuer = "https://login.example.com" },
    };

    [Theory]
    [MemberData(nameof(CallersTransportsBuild))]
    public async Task Invoke_CallerNamedLikeTheGateway_IsNotTheGatewayAndMeetsTheRequirementsOrIsRefused(Caller caller)
    {
        var next = new Calls.RecordingNext();
        var context = Unsubscribe(caller);

        await new AuthenticateStage(StrictWithScope).InvokeAsync(context, next.Invoke, CancellationToken.None);

        Assert.False(caller.IsGateway);
        Assert.Equal(0, next.Runs);
        Assert.Equal(ReasonCodes.MfaRequired, context.Refusal?.ReasonCode);
    }
}
