using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Proctor.Configuration.Models;
using Proctor.Configuration.Models.Network;
using Proctor.Mcp.Pipeline.Evidence;

namespace Proctor.Mcp.Upstreams;

/// <summary>Creates the connector for each configured upstream, detecting the era of HTTP servers.</summary>
/// <param name="logMasker">Masks what stdio servers write outside the protocol before it is logged.</param>
/// <param name="recorder">Records the spawn and exit of stdio upstreams' processes; none in tests that need no ledger.</param>
public sealed class UpstreamFactory(HttpClient http, ILoggerFactory loggers, ILogLineMasker logMasker, IUpstreamRecorder? recorder = null)
{
    public static readonly JsonObject GatewayClientInfo = new() { ["name"] = "proctor", ["title"] = "Proctor MCP gateway", ["version"] = typeof(UpstreamFactory).Assembly.GetName().Version?.ToString(3) ?? "0.1.0" };

    public async Task<Upstream> CreateAsync(UpstreamModel model, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger($"Proctor.Upstream.{model.Name}");
        switch (model)
        {
            case StdioUpstreamModel stdio:
                return new SessionUpstream(stdio.Name, new StdioLinkFactory(stdio, logger, logMasker, recorder), RestartPolicy(stdio.InitialBackoff, stdio.MaxBackoff, stdio.Timeout), GatewayClientInfo, logger);
            case HttpUpstreamModel remote:
                await RefuseLinkLocalAsync(remote, cancellationToken).ConfigureAwait(false);
                var policy = RestartPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), remote.Timeout);
                if (remote.Era != UpstreamEra.Legacy)
                {
                    var discovered = await TryDiscoverAsync(remote, cancellationToken).ConfigureAwait(false);
                    if (remote.Era == UpstreamEra.Modern)
                    {
                        return new ModernHttpUpstream(http, remote, GatewayClientInfo, policy, logger, discovered);
                    }

                    if (discovered is not null)
                    {
                        // Serves 2026-07-28; also open a session so session-era callers need no bridge.
                        return new DualEraUpstream(
                            new ModernHttpUpstream(http, remote, GatewayClientInfo, policy, logger, discovered),
                            new SessionUpstream(remote.Name, new LegacyHttpLinkFactory(http, remote, logger), policy, GatewayClientInfo, logger));
                    }
                }

                return new SessionUpstream(remote.Name, new LegacyHttpLinkFactory(http, remote, logger), policy, GatewayClientInfo, logger);
            default:
                throw new ArgumentException($"Unknown upstream kind {model.GetType().Name}", nameof(model));
        }
    }

    private static UpstreamRestartPolicy RestartPolicy(TimeSpan initial, TimeSpan max, TimeSpan timeout) =>
        new(initial, max, timeout < TimeSpan.FromSeconds(10) ? TimeSpan.FromSeconds(10) : timeout);

    /// <summary>The 2026-07-28 backward-compatibility rule: try server/discover, fall back to initialize on failure.</summary>
    private async Task<UpstreamDescription?> TryDiscoverAsync(HttpUpstreamModel model, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
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
