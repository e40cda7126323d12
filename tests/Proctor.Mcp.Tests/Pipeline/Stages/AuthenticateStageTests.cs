using System.Net;
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
}
