using Microsoft.Extensions.Logging;
using Proctor.Configuration.Models;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Upstreams;

namespace Proctor.Gateway;

/// <summary>Creates and starts every configured upstream at startup, and stops them at shutdown.</summary>
internal sealed partial class UpstreamRegistryHolder(GatewayModel model, UpstreamFactory factory, TimeProvider time, ILogger<UpstreamRegistryHolder> logger)
{
    /// <summary>How long startup waits for upstreams' first connection before serving anyway.</summary>
    private static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(30);

    public UpstreamRegistry Registry { get; private set; } = new([], new Dictionary<string, TimeSpan>());

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var upstreams = new List<Upstream>();
        foreach (var definition in model.Upstreams.Values)
        {
            try
            {
                upstreams.Add(await factory.CreateAsync(definition, cancellationToken).ConfigureAwait(false));
            }
            catch (InvalidOperationException ex)
            {
                Log.Refused(logger, definition.Name, ex.Message);
            }
        }

        Registry = new UpstreamRegistry(upstreams, model.Upstreams.ToDictionary(u => u.Key, u => u.Value.Timeout));
        using var deadline = new CancellationTokenSource(StartupWait, time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await Task.WhenAll(upstreams.Select(u => u.StartAsync(wait.Token))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Log.SlowStart(logger, StartupWait.TotalSeconds);
        }
    }

    public async Task StopAsync()
    {
        await Task.WhenAll(Registry.Ordered.Select(u => u.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1501, Level = LogLevel.Error, Message = "Upstream {Upstream} refused: {Reason}")]
        public static partial void Refused(ILogger logger, string upstream, string reason);

        [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "Some upstreams had not connected after {Seconds} s; serving the others (see /readyz)")]
        public static partial void SlowStart(ILogger logger, double seconds);
    }
}
