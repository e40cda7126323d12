using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Proctor.Configuration.Models;
using Proctor.Mcp.Authorization;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Stages;
using Proctor.Mcp.Upstreams;
using Proctor.Policy.Building;
using Proctor.Policy.Documents;

namespace Proctor.Bench.Micro.Policy;

/// <summary>
/// The Authorize stage end to end (issue 11), with the 1,000-rule policy of <see cref="PolicyDecisionBenchmarks"/>: what a
/// call pays for the policy in the gateway beyond the decision itself (the caller in the policy's terms, the decision
/// record), measured on the stage alone and as the difference between the pipeline with and without it; and what a
/// <c>tools/list</c> answer of 50 tools pays (the input-schema review of decision 0036 and the caller's filter), beside
/// the cost of the call context and the answer's copy that every list pays anyway.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class AuthorizeStageBenchmarks
{
    private const int ListedTools = 50;

    private static readonly CallDelegate Done = static (_, _) => Task.CompletedTask;

    private readonly Upstream _upstream = new IdleUpstream("server07");
    private AuthorizeStage _stage = null!;
    private CallPipeline _withAuthorize = null!;
    private CallPipeline _withoutAuthorize = null!;
    private CallContext _call = null!;
    private Caller _analyst = null!;
    private JsonObject _listAnswer = null!;
    private CallDelegate _answerList = null!;

    [GlobalSetup]
    public void Setup()
    {
        var read = PolicyDocumentReader.Read(PolicyDecisionBenchmarks.Yaml(), "bench.yaml");
        var model = PolicyBuilder.Build(read.Options, PolicyDecisionBenchmarks.Hash).Model ?? throw new InvalidOperationException("the benchmark policy does not build");
        var policies = new PolicyInForce(new GatewayPolicy(model, "bench.yaml", null));
        _stage = new AuthorizeStage(policies, null, new FixedTime(PolicyDecisionBenchmarks.At), NullLogger<AuthorizeStage>.Instance);
        _withAuthorize = new CallPipeline([_stage], NullLogger<CallPipeline>.Instance);
        _withoutAuthorize = new CallPipeline([], NullLogger<CallPipeline>.Instance);
        _analyst = new Caller("alice", "oidc", null, null, "2026-07-28")
        {
            Issuer = "https://idp.bank.example", Groups = ["staff", "analysts-07"], AuthenticationMethods = ["pwd", "otp"], Scopes = ["bank.read"],
        };
        _call = Context(new JsonObject
        {
            ["jsonrpc"] = "2.0", ["id"] = 7, ["method"] = "tools/call",
            ["params"] = new JsonObject { ["name"] = "tool_023", ["arguments"] = JsonNode.Parse(PolicyDecisionBenchmarks.Arguments) },
        });
        _listAnswer = ListAnswer();
        _answerList = async (context, cancellationToken) =>
            context.Response = await context.PassAsync(_listAnswer.DeepClone().AsObject(), CallMessageKind.Response, cancellationToken).ConfigureAwait(false);

        Call().GetAwaiter().GetResult();
        if (_call.Decision is not { Effect: "allow", Rule: "tool-07-023" })
        {
            throw new InvalidOperationException($"Benchmark setup: expected allow by tool-07-023, got {_call.Decision}");
        }

        var shown = ((JsonArray)ListFiltered().GetAwaiter().GetResult()["result"]!["tools"]!).Count;
        if (shown != PolicyDecisionBenchmarks.ToolsPerServer || policies.InputSchemas.Current(model.Hash).Count != 0)
        {
            throw new InvalidOperationException($"Benchmark setup: expected {PolicyDecisionBenchmarks.ToolsPerServer} tools shown and no schema finding, got {shown}");
        }
    }

    [Benchmark(Description = "Authorize stage: allowed tools/call")]
    public Task Call() => _stage.InvokeAsync(_call, Done, CancellationToken.None);

    [Benchmark(Baseline = true, Description = "Pipeline without Authorize: tools/call")]
    public Task PipelineWithout() => _withoutAuthorize.RunAsync(_call, CancellationToken.None);

    [Benchmark(Description = "Pipeline with Authorize: allowed tools/call")]
    public Task PipelineWith() => _withAuthorize.RunAsync(_call, CancellationToken.None);

    [Benchmark(Description = "tools/list of 50: context and answer copy only")]
    public async Task<JsonObject> ListUnfiltered()
    {
        var context = Context(ListRequest());
        await _answerList(context, CancellationToken.None).ConfigureAwait(false);
        return context.Response!;
    }

    [Benchmark(Description = "tools/list of 50: with Authorize (schema review, filter to 48)")]
    public async Task<JsonObject> ListFiltered()
    {
        var context = Context(ListRequest());
        await _stage.InvokeAsync(context, _answerList, CancellationToken.None).ConfigureAwait(false);
        return context.Response!;
    }

    private static JsonObject ListRequest() => new() { ["jsonrpc"] = "2.0", ["id"] = 3, ["method"] = "tools/list", ["params"] = new JsonObject() };

    private CallContext Context(JsonObject request) => new()
    {
        Caller = _analyst,
        Upstream = _upstream,
        Method = (string)request["method"]!,
        Target = (string?)request["params"]?["name"],
        Request = request,
        Sink = DetachedCallSink.Instance,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>One upstream's answer: the 48 tools the analyst may use and 2 that no rule allows, each with an input schema.</summary>
    private static JsonObject ListAnswer()
    {
        var tools = new JsonArray();
        for (var t = 0; t < ListedTools; t++)
        {
            tools.Add(new JsonObject
            {
                ["name"] = t < PolicyDecisionBenchmarks.ToolsPerServer ? $"tool_{t:D3}" : $"admin_{t:D3}",
                ["description"] = "Moves money between two accounts of the same customer.",
                ["inputSchema"] = JsonNode.Parse("""
                    {"type": "object", "properties": {"amount": {"type": "number"}, "account": {"type": "string"}, "memo": {"type": "string"}}, "required": ["amount", "account"]}
                    """),
            });
        }

        return new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 3, ["result"] = new JsonObject { ["tools"] = tools } };
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>An upstream the benchmark never forwards to: Authorize reads only its name.</summary>
    private sealed class IdleUpstream(string name) : Upstream(name)
    {
        public override UpstreamHealth Health => new(UpstreamState.Ready, null, DateTimeOffset.UnixEpoch, 0, "legacy");

        public override UpstreamDescription? Description => null;

        public override Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override Task<JsonObject> CallAsync(JsonObject request, IUpstreamCallSink sink, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the benchmark forwards nothing");

        public override ValueTask NotifyAsync(JsonObject notification, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
