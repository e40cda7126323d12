using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Proctor.Configuration.Models;
using Proctor.Configuration.Models.Network;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Upstreams.Supervision;

namespace Proctor.Mcp.Upstreams;

/// <summary>Creates the connector for each configured upstream, detecting the era of HTTP servers.</summary>
/// <param name="logMasker">Masks what upstreams say outside the protocol (stderr, stray stdout) and about themselves (errors) before it is shown or logged.</param>
/// <param name="recorder">Records the spawn and exit of stdio upstreams' processes; none in tests that need no ledger.</param>
/// <param name="time">The clock of backoffs, liveness checks and timeouts; the system clock unless a test gives its own.</param>
public sealed class UpstreamFactory(HttpClient http, ILoggerFactory loggers, ILogLineMasker logMasker, IUpstreamRecorder? recorder = null, TimeProvider? time = null)
{
    private readonly UpstreamServices _services = new(time ?? TimeProvider.System, logMasker);

    public static readonly JsonObject GatewayClientInfo = new() { ["name"] = "proctor", ["title"] = "Proctor MCP gateway", ["version"] = typeof(UpstreamFactory).Assembly.GetName().Version?.ToString(3) ?? "0.1.0" };

    public async Task<Upstream> CreateAsync(UpstreamModel model, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger($"Proctor.Upstream.{model.Name}");
        switch (model)
        {
            case StdioUpstreamModel stdio:
                IUpstreamLinkFactory processes = new StdioLinkFactory(stdio, logger, logMasker, _services.Time);
                if (recorder is not null)
                {
                    processes = new RecordedLinkFactory(processes, recorder, logger);
                }

                return new SessionUpstream(stdio.Name, processes, RestartPolicy(stdio, stdio.InitialBackoff, stdio.MaxBackoff), stdio.Limits, GatewayClientInfo, _services, logger);
            case HttpUpstreamModel remote:
                await RefuseLinkLocalAsync(remote, cancellationToken).ConfigureAwait(false);
                var policy = RestartPolicy(remote, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
                if (remote.Era != UpstreamEra.Legacy)
                {
                    var discovered = await TryDiscoverAsync(remote, cancellationToken).ConfigureAwait(false);
                    if (remote.Era == UpstreamEra.Modern)
                    {
                        return new ModernHttpUpstream(http, remote, GatewayClientInfo, policy, _services, logger, discovered);
                    }

                    if (discovered is not null)
                    {
                        // Serves 2026-07-28; also open a session so session-era callers need no bridge.
                        return new DualEraUpstream(
                            new ModernHttpUpstream(http, remote, GatewayClientInfo, policy, _services, logger, discovered),
                            SessionOver(remote, policy, logger));
                    }
                }

                return SessionOver(remote, policy, logger);
            default:
                throw new ArgumentException($"Unknown upstream kind {model.GetType().Name}", nameof(model));
        }
    }

    private SessionUpstream SessionOver(HttpUpstreamModel remote, UpstreamRestartPolicy policy, ILogger logger) =>
        new(remote.Name, new LegacyHttpLinkFactory(http, remote, _services.Time, logger), policy, remote.Limits, GatewayClientInfo, _services, logger);

    /// <summary>A handshake gets at least 10 s (servers started by npx download first); a ping gets the call timeout.</summary>
    private static UpstreamRestartPolicy RestartPolicy(UpstreamModel model, TimeSpan initial, TimeSpan max) =>
        new(initial, max, model.Timeout < TimeSpan.FromSeconds(10) ? TimeSpan.FromSeconds(10) : model.Timeout)
        {
            PingInterval = model.Limits.PingInterval,
            StallAfter = model.Timeout,
        };

    /// <summary>The 2026-07-28 backward-compatibility rule: try server/discover, fall back to initialize on failure.</summary>
    private async Task<UpstreamDescription?> TryDiscoverAsync(HttpUpstreamModel model, CancellationToken cancellationToken)
    {
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10), _services.Time);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            var (description, _) = await ModernHttpUpstream.DiscoverAsync(http, model, GatewayClientInfo, timeout.Token).ConfigureAwait(false);
            return description;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>SSRF guard (MCP.md): instance-metadata and link-local addresses only when explicitly allowed.</summary>
    private static async Task RefuseLinkLocalAsync(HttpUpstreamModel model, CancellationToken cancellationToken)
    {
        if (model.AllowLinkLocal)
        {
            return;
        }

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(model.Url.Host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(model.Url.Host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return; // Unresolvable now; the connector reports it as unreachable.
        }

        foreach (var address in addresses)
        {
            if (LinkLocalGuard.IsBlocked(address))
            {
                throw new InvalidOperationException(
                    $"upstreams.{model.Name}.url resolves to the link-local/metadata address {address}; set upstreams.{model.Name}.allowLinkLocal: true if this is intended");
            }
        }
    }
}
