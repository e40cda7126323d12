using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Stages;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Tests.Upstreams;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Tests.Pipeline.Stages;

public sealed class ForwardStageTests
{
    [Fact]
    public async Task Invoke_UpstreamAnswers_ResponseIsTheAnswerAndNextRunsAfterIt()
    {
        var upstream = new ScriptedUpstream("bank", (r, _, _) => Task.FromResult(JsonRpc.Result(r["id"], new JsonObject { ["content"] = new JsonArray() })));
        var context = Calls.Context(upstream);
        JsonObject? responseWhenNextRan = null;

        await new ForwardStage().InvokeAsync(context, (c, _) => { responseWhenNextRan = c.Response; return Task.CompletedTask; }, CancellationToken.None);

        Json.Equal("{'jsonrpc':'2.0','id':7,'result':{'content':[]}}", context.Response);
        Assert.Same(context.Response, responseWhenNextRan);
        Assert.Single(upstream.Requests);
    }

    [Fact]
    public async Task Invoke_UpstreamUnavailable_Answers32060WithTheRequestId()
    {
        var upstream = new ScriptedUpstream("crm", (_, _, _) => throw new UpstreamUnavailableException("crm", "the process exited with code 1"));
        var context = Calls.Context(upstream, Json.Object("{'jsonrpc':'2.0','id':'call-9','method':'tools/call','params':{'name':'x'}}"));
        var next = new Calls.RecordingNext();

        await new ForwardStage().InvokeAsync(context, next.Invoke, CancellationToken.None);

        var error = context.Response!["error"]!;
        Assert.Equal("call-9", (string?)context.Response["id"]);
        Assert.Equal(JsonRpcErrorCodes.UpstreamUnavailable, (int)error["code"]!);
        Assert.Equal(ReasonCodes.UpstreamUnavailable, (string?)error["data"]!["reason"]);
        Assert.Contains("'crm'", (string?)error["message"]);
        Assert.Contains("the process exited with code 1", (string?)error["message"]);
        Assert.Equal(1, next.Runs);
    }

    [Fact]
    public async Task Invoke_UpstreamUnavailableAfterAwaiting_Answers32060()
    {
        var upstream = new ScriptedUpstream("crm", async (_, _, ct) =>
        {
            await Task.Yield();
            throw new UpstreamUnavailableException("crm", "connection reset");
        });
        var context = Calls.Context(upstream);

        await new ForwardStage().InvokeAsync(context, new Calls.RecordingNext().Invoke, CancellationToken.None);

        Assert.Equal(JsonRpcErrorCodes.UpstreamUnavailable, (int)context.Response!["error"]!["code"]!);
    }

    [Fact]
    public async Task Invoke_UpstreamSlowerThanTimeout_Answers32061AndCancelsTheCall()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var upstream = new ScriptedUpstream("slow", async (_, _, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }

            throw new InvalidOperationException("unreachable");
        });
        var context = Calls.Context(upstream, timeout: TimeSpan.FromMilliseconds(50));
        var next = new Calls.RecordingNext();

        await new ForwardStage().InvokeAsync(context, next.Invoke, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(cancelled.Task.IsCompleted, "the upstream call's token must be cancelled on timeout");
        var error = context.Response!["error"]!;
        Assert.Equal(7, (int)context.Response["id"]!);
        Assert.Equal(JsonRpcErrorCodes.UpstreamTimeout, (int)error["code"]!);
        Assert.Equal(ReasonCodes.UpstreamTimeout, (string?)error["data"]!["reason"]);
        Assert.Contains("upstreams.slow.timeout", (string?)error["message"]);
        Assert.Equal(1, next.Runs);
    }

    [Fact]
    public async Task Invoke_CallerCancels_CancellationPropagatesAndIsNotATimeout()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var upstream = new ScriptedUpstream("bank", async (_, _, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });
        var context = Calls.Context(upstream, timeout: TimeSpan.FromMinutes(5));
        var next = new Calls.RecordingNext();
        using var caller = new CancellationTokenSource();

        var forwarding = new ForwardStage().InvokeAsync(context, next.Invoke, caller.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => forwarding.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(context.Response);
        Assert.Equal(0, next.Runs);
    }

    /// <summary>Every answer id that is not the request's, beside the request's own (as a number and as a string).</summary>
    public static TheoryData<string, string, bool> AnswerIds() => new()
    {
        { "7", "8", false },
        { "7", "1000007", false },
        { "7", "'7'", false },
        { "7", "null", false },
        { "7", "'call-7'", false },
        { "'call-7'", "'call-8'", false },
        { "'call-7'", "'CALL-7'", false },
        { "'call-7'", "7", false },
        { "7", "7", true },
        { "'call-7'", "'call-7'", true },
    };

    [Theory]
    [MemberData(nameof(AnswerIds))]
    public async Task Invoke_AnswerCarriesAnotherRequestsId_WithheldAndTheCallerGetsAnErrorWithItsOwnId(string requestId, string answerId, bool own)
    {
        var upstream = new ScriptedUpstream("crm", (_, _, _) => Task.FromResult(Json.Object($"{{'jsonrpc':'2.0','id':{answerId},'result':{{'content':[{{'type':'text','text':'balance of another caller'}}]}}}}")));
        var context = Calls.Context(upstream, Json.Object($"{{'jsonrpc':'2.0','id':{requestId},'method':'tools/call','params':{{'name':'x'}}}}"));
        var next = new Calls.RecordingNext();

        await new ForwardStage().InvokeAsync(context, next.Invoke, CancellationToken.None);

        Json.Equal(requestId, context.Response!["id"]);
        Assert.Equal(1, next.Runs);
        if (own)
        {
            Assert.Equal("balance of another caller", (string?)context.Response["result"]!["content"]![0]!["text"]);
            return;
        }

        var error = context.Response["error"]!;
        Assert.Equal(JsonRpcErrorCodes.UpstreamUnavailable, (int)error["code"]!);
        Assert.Equal(ReasonCodes.UpstreamAnswerMismatch, (string?)error["data"]!["reason"]);
        Assert.Contains("another request's id", (string?)error["message"]);
        Assert.DoesNotContain("balance", context.Response.ToJsonString());
    }

    [Fact]
    public async Task Invoke_AnswerWithoutAnId_WithheldAsAnswerMismatch()
    {
        var upstream = new ScriptedUpstream("crm", (_, _, _) => Task.FromResult(Json.Object("{'jsonrpc':'2.0','result':{}}")));
        var context = Calls.Context(upstream);

        await new ForwardStage().InvokeAsync(context, new Calls.RecordingNext().Invoke, CancellationToken.None);

        Assert.Equal(7, (int)context.Response!["id"]!);
        Assert.Equal(ReasonCodes.UpstreamAnswerMismatch, (string?)context.Response["error"]!["data"]!["reason"]);
    }

    [Fact]
    public async Task Invoke_UpstreamThrowsUnexpectedly_PipelineRefusesWithGatewayFault()
    {
        var upstream = new ScriptedUpstream("bank", (_, _, _) => throw new FormatException("malformed frame"));
        var pipeline = new CallPipeline([new ForwardStage()], NullLogger<CallPipeline>.Instance);
        var context = Calls.Context(upstream);

        await pipeline.RunAsync(context, CancellationToken.None);

        Assert.Equal(JsonRpcErrorCodes.GatewayFault, (int)context.Response!["error"]!["code"]!);
        Assert.Equal(7, (int)context.Response["id"]!);
    }
}
