using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Proctor.Approvals.Grants;
using Proctor.Configuration.Models;
using Proctor.Mcp.Authorization;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Stages;
using Proctor.Mcp.Upstreams;
using Proctor.Policy.Building;
using Proctor.Policy.Documents;

namespace Proctor.Bench.Micro.Policy;

/// <summary>
/// What a just-in-time grant adds to an allowed call (decision 0041; goal ≤ 2 µs): the Authorize stage on a call an
/// allow rule decides, beside the same kind of call a grant rule decides and the caller's active grant covers, with
/// 10,000 other holders' grants in memory and three of the caller's own; and the in-memory lookup alone.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class GrantCheckBenchmarks
{
    private const string Yaml = """
        rules:
          - { id: analysts-read, effect: allow, subjects: { groups: [analysts] }, targets: { servers: [bank], tools: [get_customer] } }
          - { id: sql-under-grant, effect: grant, subjects: { groups: [analysts] }, targets: { servers: [bank], tools: [run_sql, export, reindex] }, approval: { approvers: [supervisors] } }
        """;

    private static readonly DateTimeOffset At = new(2026, 12, 3, 15, 0, 0, TimeSpan.Zero);

    private static readonly CallDelegate Done = static (_, _) => Task.CompletedTask;

    private readonly ActiveGrants _grants = new();
    private AuthorizeStage _stage = null!;
    private CallContext _allowed = null!;
    private CallContext _granted = null!;
    private Caller _analyst = null!;

    [GlobalSetup]
    public void Setup()
    {
        var read = PolicyDocumentReader.Read(Yaml, "bench.yaml");
        var model = PolicyBuilder.Build(read.Options, PolicyDecisionBenchmarks.Hash).Model ?? throw new InvalidOperationException("the benchmark policy does not build");
        _stage = new AuthorizeStage(new PolicyInForce(new GatewayPolicy(model, "bench.yaml", null)), null, new FixedTime(At), NullLogger<AuthorizeStage>.Instance, _grants);
        _analyst = new Caller("alice", "oidc", null, null, "2025-11-25") { Issuer = "https://idp.bank.example", Groups = ["analysts"] };
        var grants = new List<AccessGrant>();
        for (var i = 0; i < 10_000; i++)
        {
            grants.Add(Grant($"https://idp.bank.example|user{i}", "run_sql", i));
        }

        grants.Add(Grant(_analyst.Key, "export", 10_001));
        grants.Add(Grant(_analyst.Key, "reindex", 10_002));
        grants.Add(Grant(_analyst.Key, "run_sql", 10_003));
        _grants.Replace(grants, At);
        _allowed = Context("get_customer");
        _granted = Context("run_sql");

        Allowed().GetAwaiter().GetResult();
        Granted().GetAwaiter().GetResult();
        if (_allowed.Decision?.ReasonCode != ReasonCodes.PolicyAllowed || _granted.Decision?.ReasonCode != ReasonCodes.AccessGranted || _granted.Refusal is not null)
        {
            throw new InvalidOperationException($"Benchmark setup: expected allowed and granted, got {_allowed.Decision} and {_granted.Decision}");
        }
    }

    [Benchmark(Baseline = true, Description = "Authorize: tools/call allowed by an allow rule")]
    public Task Allowed() => _stage.InvokeAsync(_allowed, Done, CancellationToken.None);

    [Benchmark(Description = "Authorize: tools/call allowed under an active grant")]
    public Task Granted() => _stage.InvokeAsync(_granted, Done, CancellationToken.None);

    [Benchmark(Description = "ActiveGrants.Covering alone (10,003 grants in memory)")]
    public AccessGrant? Lookup() => _grants.Covering(_analyst.Key, "bank", "run_sql", At);

    private CallContext Context(string tool)
    {
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 7, ["method"] = "tools/call", ["params"] = new JsonObject { ["name"] = tool, ["arguments"] = new JsonObject() } };
        return new CallContext
        {
            Caller = _analyst,
            Upstream = new IdleBank(),
            Method = "tools/call",
            Target = tool,
            Request = request,
            Sink = DetachedCallSink.Instance,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    private static AccessGrant Grant(string identity, string tool, int n) => new()
    {
        Id = $"g{n}", Identity = identity, Holder = identity, Server = "bank", Tools = [tool], Reason = "bench", Duration = TimeSpan.FromHours(8),
        Rule = "sql-under-grant", PolicyHash = "p", ApproverGroups = ["supervisors"], MinApprovals = 1, CreatedAt = At, DecideBy = At,
        State = GrantState.Active, StartsAt = At.AddHours(-1), ExpiresAt = At.AddHours(7),
    };

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class IdleBank() : Upstream("bank")
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
