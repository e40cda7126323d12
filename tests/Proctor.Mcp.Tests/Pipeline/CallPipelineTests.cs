using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Tests.Upstreams;

namespace Proctor.Mcp.Tests.Pipeline;

public sealed class CallPipelineTests
{
    private static readonly ScriptedUpstream Upstream = ScriptedUpstream.Answering("bank");

    private sealed class Step(string name, List<string> trace, Action<CallContext>? before = null, bool callNext = true) : ICallStage
    {
        public async Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken)
        {
            trace.Add(name + ">");
            before?.Invoke(context);
            if (callNext)
            {
                await next(context, cancellationToken);
            }

            trace.Add("<" + name);
        }
    }

    private sealed class Throwing(Exception exception) : ICallStage
    {
        public Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken) => throw exception;
    }

    private sealed class Answering : ICallStage
    {
        public Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken)
        {
            context.Response = JsonRpc.Result(context.Request["id"], new JsonObject { ["ok"] = true });
            return next(context, cancellationToken);
        }
    }

    private static CallPipeline Pipeline(params ICallStage[] stages) => new(stages, NullLogger<CallPipeline>.Instance);

    [Fact]
    public async Task Run_SeveralStages_RunInListedOrderAroundNext()
    {
        var trace = new List<string>();
        var pipeline = Pipeline(new Step("A", trace), new Step("B", trace), new Step("C", trace), new Answering());

        await pipeline.RunAsync(Calls.Context(Upstream), CancellationToken.None);

        Assert.Equal(["A>", "B>", "C>", "<C", "<B", "<A"], trace);
        Assert.Equal(["Step", "Step", "Step", "Answering"], pipeline.Stages);
    }

    [Fact]
    public async Task Run_StageRefuses_LaterStagesDoNotRunAndTheCallerGetsTheRefusal()
    {
        var trace = new List<string>();
        var pipeline = Pipeline(
            new Step("A", trace),
            new Step("B", trace, c => c.Refuse("policy.tool_not_allowed", "search is not allowed for alice."), callNext: false),
            new Step("C", trace),
            new Answering());
        var context = Calls.Context(Upstream);

        await pipeline.RunAsync(context, CancellationToken.None);

        Assert.Equal(["A>", "B>", "<B", "<A"], trace);
        Assert.Equal(new Refusal("policy.tool_not_allowed", "search is not allowed for alice.", JsonRpcErrorCodes.Refused), context.Refusal);
        Json.Equal("{'jsonrpc':'2.0','id':7,'error':{'code':-32063,'message':'search is not allowed for alice.','data':{'reason':'policy.tool_not_allowed'}}}", context.Response);
    }

    [Fact]
    public async Task Run_StageRefusesButStillCallsNext_LaterStagesDoNotRun()
    {
        var trace = new List<string>();
        var pipeline = Pipeline(
            new Step("A", trace, c => c.Refuse("approval.denied", "denied")),
            new Step("B", trace),
            new Answering());
        var context = Calls.Context(Upstream);

        await pipeline.RunAsync(context, CancellationToken.None);

        Assert.Equal(["A>", "<A"], trace);
        Assert.Equal(JsonRpcErrorCodes.Refused, (int)context.Response!["error"]!["code"]!);
    }

    public static TheoryData<string> RequestIds => new() { "7", "\"req-7\"", "-1.5" };

    [Theory]
    [MemberData(nameof(RequestIds))]
    public async Task Run_StageThrows_RefusesWithGatewayFaultAndTheRequestId(string id)
    {
        var trace = new List<string>();
        var pipeline = Pipeline(new Step("A", trace), new Throwing(new InvalidOperationException("bug")), new Step("C", trace), new Answering());
        var context = Calls.Context(Upstream, Json.Object($"{{'jsonrpc':'2.0','id':{id},'method':'tools/list'}}"));

        await pipeline.RunAsync(context, CancellationToken.None);

        Assert.Equal(["A>", "<A"], trace);
        Assert.Equal("gateway.fault", context.Refusal?.ReasonCode);
        Assert.Equal(JsonRpcErrorCodes.GatewayFault, context.Refusal?.Code);
        Assert.Equal(id, context.Response!["id"]?.ToJsonString());
        Assert.Equal(JsonRpcErrorCodes.GatewayFault, (int)context.Response["error"]!["code"]!);
        Assert.Equal("gateway.fault", (string?)context.Response["error"]!["data"]!["reason"]);
        Assert.False(context.Response.ContainsKey("result"));
    }

    [Fact]
    public async Task Run_StageThrowsARefusal_StagesAroundItSeeTheRefusalOnTheirWayOut()
    {
        Refusal? seenOnTheWayOut = null;
        var pipeline = Pipeline(new SeesOutcome(r => seenOnTheWayOut = r), new Throwing(new CallRefusedException("masking.failed", "could not mask")), new Answering());
        var context = Calls.Context(Upstream);

        await pipeline.RunAsync(context, CancellationToken.None);

        Assert.Equal(new Refusal("masking.failed", "could not mask", JsonRpcErrorCodes.Refused), seenOnTheWayOut);
        Assert.Equal("masking.failed", (string?)context.Response!["error"]!["data"]!["reason"]);
    }

    private sealed class SeesOutcome(Action<Refusal?> seen) : ICallStage
    {
        public async Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken)
        {
            await next(context, cancellationToken);
            seen(context.Refusal);
        }
    }

    /// <summary>A stage that passes the call on by returning the next stage's task, as most stages do.</summary>
    private sealed class PassingOn : ICallStage
    {
        public Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken) => next(context, cancellationToken);
    }

    /// <summary>A stage that fails after it has yielded, so that its failure reaches the stages around it as a task.</summary>
    private sealed class FailingLater(Exception exception) : ICallStage
    {
        public async Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken)
        {
            await Task.Yield();
            throw exception;
        }
    }

    public static TheoryData<Exception, string> LateFailures => new()
    {
        { new CallRefusedException("masking.failed", "could not mask"), "masking.failed" },
        { new InvalidOperationException("bug"), "gateway.fault" },
    };

    [Theory]
    [MemberData(nameof(LateFailures))]
    public async Task Run_StageFailsLaterBehindStagesThatPassItOn_StagesAroundThemSeeTheRefusal(Exception failure, string reason)
    {
        Refusal? seenOnTheWayOut = null;
        var pipeline = Pipeline(new SeesOutcome(r => seenOnTheWayOut = r), new PassingOn(), new PassingOn(), new FailingLater(failure), new Answering());
        var context = Calls.Context(Upstream);

        await pipeline.RunAsync(context, CancellationToken.None);

        Assert.Equal(reason, seenOnTheWayOut?.ReasonCode);
        Assert.Equal(reason, (string?)context.Response!["error"]!["data"]!["reason"]);
    }

    /// <summary>A stage that is not async but returns unfinished work of its own, not the next stage's task.</summary>
    private sealed class ReturnsOwnWork(Func<Task, Task> own) : ICallStage
    {
        public Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken) => own(next(context, cancellationToken));
    }

    public static TheoryData<string> OwnWork => new() { "continuation that throws", "failed task of its own" };

    [Theory]
    [MemberData(nameof(OwnWork))]
    public async Task Run_StageReturnsItsOwnWorkThatFails_TheCallIsRefusedAtThatStage(string kind)
    {
        Refusal? seenOnTheWayOut = null;
        Func<Task, Task> own = kind == "continuation that throws"
            ? nextTask => nextTask.ContinueWith(_ => throw new InvalidOperationException("bug after next"), TaskScheduler.Default)
            : nextTask => Task.Run(() => throw new InvalidOperationException("bug of its own"));
        // The stage after it answers: the only failure is the stage's own work, which nothing else guards.
        var pipeline = Pipeline(new SeesOutcome(r => seenOnTheWayOut = r), new ReturnsOwnWork(own), new Answering());
        var context = Calls.Context(Upstream);

        await pipeline.RunAsync(context, CancellationToken.None);

        Assert.Equal("gateway.fault", seenOnTheWayOut?.ReasonCode);
        Assert.Equal(JsonRpcErrorCodes.GatewayFault, (int)context.Response!["error"]!["code"]!);
    }

    [Fact]
    public async Task Run_CallerCancelledLaterBehindStagesThatPassItOn_CancellationPropagates()
    {
        using var cts = new CancellationTokenSource();
        var pipeline = Pipeline(new PassingOn(), new CancelledLater(cts), new Answering());
        var context = Calls.Context(Upstream);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.RunAsync(context, cts.Token));
        Assert.Null(context.Refusal);
    }

    private sealed class CancelledLater(CancellationTokenSource cts) : ICallStage
    {
        public async Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken)
        {
            await Task.Yield();
            await cts.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    [Fact]
    public async Task Run_StageThrowsAfterNextAnswered_ResponseBecomesGatewayFault()
    {
        var pipeline = Pipeline(new ThrowAfter(), new Answering());
        var context = Calls.Context(Upstream);

        await pipeline.RunAsync(context, CancellationToken.None);

        Assert.Equal(JsonRpcErrorCodes.GatewayFault, (int)context.Response!["error"]!["code"]!);
    }

    private sealed class ThrowAfter : ICallStage
    {
        public async Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken)
        {
            await next(context, cancellationToken);
            throw new InvalidOperationException("recording failed after the upstream answered");
        }
    }

    [Fact]
    public async Task Run_CallerCancelled_CancellationPropagates()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var pipeline = Pipeline(new Throwing(new OperationCanceledException(cts.Token)));
        var context = Calls.Context(Upstream);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.RunAsync(context, cts.Token));
        Assert.Null(context.Refusal);
    }

    [Fact]
    public async Task Run_CancellationNotAskedForByTheCaller_IsAFault()
    {
        var pipeline = Pipeline(new Throwing(new OperationCanceledException()));
        var context = Calls.Context(Upstream);

        await pipeline.RunAsync(context, CancellationToken.None);

        Assert.Equal("gateway.fault", context.Refusal?.ReasonCode);
    }

    [Fact]
    public async Task Run_NoStageAnswers_ResponseIsGatewayFault()
    {
        var trace = new List<string>();
        var context = Calls.Context(Upstream);

        await Pipeline(new Step("A", trace)).RunAsync(context, CancellationToken.None);

        Assert.Equal(JsonRpcErrorCodes.GatewayFault, (int)context.Response!["error"]!["code"]!);
        Assert.Equal(7, (int)context.Response["id"]!);
    }
}
