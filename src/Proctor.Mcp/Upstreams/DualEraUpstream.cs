using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Upstreams;

/// <summary>
/// An HTTP upstream that serves both eras. Each call goes to the upstream in the caller's own era, so
/// that nothing needs bridging: 2026-07-28 requests (they carry the protocol version in <c>_meta</c>)
/// go stateless, session-era requests go through the gateway's session. If the session side is down,
/// session-era callers fall back to the stateless side through the era bridge.
/// </summary>
public sealed class DualEraUpstream : Upstream
{
    private readonly ModernHttpUpstream _modern;
    private readonly SessionUpstream _legacy;

    public DualEraUpstream(ModernHttpUpstream modern, SessionUpstream legacy)
        : base(modern.Name)
    {
        _modern = modern;
        _legacy = legacy;
        _legacy.UnsolicitedNotification += (_, notification) => RaiseUnsolicited(notification);
    }

    public override UpstreamHealth Health => _modern.Health with { Era = "both" };

    public override bool ServesModern => true;

    public override UpstreamDescription? Description => _modern.Description;

    public override UpstreamDescription? DescriptionFor(bool modernCaller) =>
        modernCaller || _legacy.Description is null ? _modern.Description : _legacy.Description;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await _modern.StartAsync(cancellationToken).ConfigureAwait(false);
        await _legacy.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override Task<JsonObject> CallAsync(JsonObject request, IUpstreamCallSink sink, CancellationToken cancellationToken) =>
        IsModernRequest(request) || _legacy.Health.State != UpstreamState.Ready
            ? _modern.CallAsync(request, sink, cancellationToken)
            : _legacy.CallAsync(request, sink, cancellationToken);

    public override bool TakesClientNotifications => _legacy.Health.State == UpstreamState.Ready;

    public override ValueTask NotifyAsync(JsonObject notification, CancellationToken cancellationToken) =>
        _legacy.Health.State == UpstreamState.Ready ? _legacy.NotifyAsync(notification, cancellationToken) : ValueTask.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        await _legacy.DisposeAsync().ConfigureAwait(false);
        await _modern.DisposeAsync().ConfigureAwait(false);
    }

    private static bool IsModernRequest(JsonObject request) =>
        request["params"]?["_meta"]?[ProtocolVersions.MetaProtocolVersion] is not null;
}
