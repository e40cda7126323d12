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
}
