using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Proctor.Http.Health;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Upstreams;

namespace Proctor.Http.Tests.Health;

public sealed class UpstreamReadinessTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 7, 28, 9, 0, 0, TimeSpan.Zero));

    private UpstreamReadiness Over(params Upstream[] upstreams) =>
        new(new UpstreamRegistry(upstreams, upstreams.ToDictionary(u => u.Name, _ => TimeSpan.FromSeconds(30))), _time);

    [Fact]
    public async Task Check_ReasonQuotingTheUpstream_ShownOnlyWithDetails()
    {
        var down = new FixedUpstream("crm", new UpstreamHealth(UpstreamState.Down, "the server refused initialize: token [GATEWAY_SECRET]", _time.GetUtcNow(), 2, "legacy") { ReasonCode = UpstreamReasonCodes.HandshakeFailed });
        var readiness = Over(down);

        var anyone = await readiness.CheckAsync(details: false, CancellationToken.None);
        var auditor = await readiness.CheckAsync(details: true, CancellationToken.None);

        Assert.False(anyone.Ready);
        var section = anyone.Body["crm"]!.AsObject();
        Assert.Equal(["state", "era", "protocolVersion", "since", "restarts", "reasonCode"], section.Select(p => p.Key));
        Assert.Equal("down", (string)section["state"]!);
        Assert.Equal("handshake_failed", (string)section["reasonCode"]!);
        Assert.Equal(2, (int)section["restarts"]!);
        Assert.Equal("the server refused initialize: token [GATEWAY_SECRET]", (string)auditor.Body["crm"]!["reason"]!);
    }

    [Fact]
    public async Task Check_Stalled_SaysForHowLong()
    {
        var since = _time.GetUtcNow();
        var stalled = new FixedUpstream("crm", new UpstreamHealth(UpstreamState.Stalled, "no answer", since, 0, "legacy") { ReasonCode = UpstreamReasonCodes.Stalled });
        var readiness = Over(stalled);

        _time.Advance(TimeSpan.FromSeconds(42));
        var report = await readiness.CheckAsync(details: false, CancellationToken.None);

        Assert.False(report.Ready);
        Assert.Equal(42, (long)report.Body["crm"]!["stalledForSeconds"]!);
    }

    [Fact]
    public async Task Check_OneOfTwoReady_Ready()
    {
        var report = await Over(
            new FixedUpstream("a", new UpstreamHealth(UpstreamState.Down, "x", _time.GetUtcNow(), 0, "legacy")),
            new FixedUpstream("b", new UpstreamHealth(UpstreamState.Ready, null, _time.GetUtcNow(), 0, "legacy"))).CheckAsync(details: false, CancellationToken.None);

        Assert.True(report.Ready);
    }

    [Theory]
    [InlineData("2025-11-25", "2025-11-25")]
    [InlineData("2025-11-25; ssn=514-24-1098", "(not a protocol version)")]
    public async Task Check_ProtocolVersion_ShownOnlyWhenItLooksLikeOne(string negotiated, string shown)
    {
        var upstream = new FixedUpstream("a", new UpstreamHealth(UpstreamState.Ready, null, _time.GetUtcNow(), 0, "legacy"))
        {
            Described = new UpstreamDescription(negotiated, new JsonObject(), null, null),
        };

        var report = await Over(upstream).CheckAsync(details: false, CancellationToken.None);

        Assert.Equal(shown, (string)report.Body["a"]!["protocolVersion"]!);
    }

    private sealed class FixedUpstream(string name, UpstreamHealth health) : Upstream(name)
    {
        public UpstreamDescription? Described { get; init; }

        public override UpstreamHealth Health => health;

        public override UpstreamDescription? Description => Described;

        public override Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override Task<JsonObject> CallAsync(JsonObject request, IUpstreamCallSink sink, CancellationToken cancellationToken) => throw new NotSupportedException();

        public override ValueTask NotifyAsync(JsonObject notification, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
