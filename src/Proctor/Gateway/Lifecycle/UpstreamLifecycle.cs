using Microsoft.Extensions.Hosting;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Sessions;

namespace Proctor.Gateway.Lifecycle;

/// <summary>
/// Upstreams start after the ledger (their spawns are evidence) and before the listener; they stop only once no
/// request can need them any more: after the drain, the web server and the sessions' housekeeping.
/// </summary>
internal sealed class UpstreamLifecycle(UpstreamRegistryHolder holder, UnsolicitedRelay relay, GatewayMetrics metrics) : IHostedService
{
    private volatile bool _started;

    /// <summary>The started upstreams; asking before they started is a wiring bug (the registry would be empty for good).</summary>
    public UpstreamRegistry Registry => _started
        ? holder.Registry
        : throw new InvalidOperationException("The upstream registry was resolved before the upstreams started; resolve what routes over it per request (GatewayHost wiring).");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await holder.StartAsync(cancellationToken).ConfigureAwait(false);
        _started = true;
        relay.Attach(holder.Registry);
        metrics.ObserveUpstreams(() => holder.Registry.Ordered.Select(u => (u.Name, u.Health.State == Mcp.Upstreams.UpstreamState.Ready)));
    }

    // Each upstream bounds its own stop (stdio: close stdin, SIGTERM, SIGKILL, each after shutdownGrace). The relay's
    // queue is drained after them and before the ledger's final checkpoint, so its last notifications are covered.
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await holder.StopAsync().ConfigureAwait(false);
        await relay.DisposeAsync().ConfigureAwait(false);
    }
}
