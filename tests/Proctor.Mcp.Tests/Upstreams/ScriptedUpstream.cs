using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Tests.Upstreams;

/// <summary>
/// An upstream whose answers a test writes as code: the handler really runs on every call, may await
/// the sink or the token, and may throw, so the subject under test meets the same failures as with a
/// real server. Every request is recorded as the upstream received it.
/// </summary>
internal sealed class ScriptedUpstream : Upstream
{
    public delegate Task<JsonObject> Handler(JsonObject request, IUpstreamCallSink sink, CancellationToken cancellationToken);

    private readonly Handler _handler;
    private UpstreamDescription? _description;

    public ScriptedUpstream(string name, Handler handler, JsonObject? capabilities = null, string? instructions = null, JsonObject? serverInfo = null)
        : base(name)
    {
        _handler = handler;
        _description = new UpstreamDescription("2025-11-25", capabilities ?? new JsonObject { ["tools"] = new JsonObject() }, serverInfo, instructions);
    }

    /// <summary>An upstream that answers every request with an empty result.</summary>
    public static ScriptedUpstream Answering(string name, JsonObject? capabilities = null) =>
        new(name, (request, _, _) => Task.FromResult(JsonRpc.Result(request["id"], new JsonObject())), capabilities);

    public ConcurrentQueue<JsonObject> Requests { get; } = new();

    public ConcurrentQueue<JsonObject> Notifications { get; } = new();

    public UpstreamState State { get; set; } = UpstreamState.Ready;

    public override UpstreamHealth Health => new(State, null, DateTimeOffset.UnixEpoch, 0, "legacy");

    /// <summary>Like a real upstream, the last description it gave stays known while it is down.</summary>
    public override UpstreamDescription? Description => _description;

    /// <summary>What 2026-07-28 callers are shown, when it differs (a dual-era upstream).</summary>
    public UpstreamDescription? ModernDescription { get; set; }

    public override UpstreamDescription? DescriptionFor(bool modernCaller) => modernCaller && ModernDescription is { } modern ? modern : Description;

    /// <summary>Forgets the description, as an upstream that never connected.</summary>
    public void NeverConnected() => _description = null;

    public override Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task<JsonObject> CallAsync(JsonObject request, IUpstreamCallSink sink, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request.DeepClone().AsObject());
        return _handler(request, sink, cancellationToken);
    }

    /// <summary>False plays a 2026-07-28 HTTP upstream, which takes no client notifications.</summary>
    public bool TakesNotifications { get; set; } = true;

    public override bool TakesClientNotifications => TakesNotifications;

    public override ValueTask NotifyAsync(JsonObject notification, CancellationToken cancellationToken)
    {
        Notifications.Enqueue(notification.DeepClone().AsObject());
        return ValueTask.CompletedTask;
    }

    public void Raise(JsonObject notification) => RaiseUnsolicited(notification);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
