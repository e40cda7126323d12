using System.Net;
using Microsoft.AspNetCore.Http;

namespace Proctor.Http.Mcp;

/// <summary>
/// DNS-rebinding protection (Streamable HTTP, "Security Warning"): a present Origin must be allowed,
/// and a gateway listening on loopback only answers requests addressed to a loopback host name.
/// Requests without Origin (IDEs, agents, CLIs) are not browsers and are allowed.
/// </summary>
internal sealed class OriginPolicy(McpHttpOptions options)
{
    public string? Refusal(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsAllowedOrigin(origin))
        {
            return $"Origin '{origin}' is not allowed. Add it to gateway.allowedOrigins if this browser application should reach the gateway.";
        }

        if (options.LoopbackOnly && !IsLoopbackHost(request.Host.Host))
        {
            return $"Host '{request.Host.Host}' is not a loopback name; a gateway listening on loopback only answers localhost, 127.0.0.1 or [::1].";
        }

        return null;
    }

    private bool IsAllowedOrigin(string origin)
    {
        foreach (var allowed in options.AllowedOrigins)
        {
            if (string.Equals(allowed, origin, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return options.LoopbackOnly && Uri.TryCreate(origin, UriKind.Absolute, out var uri) && IsLoopbackHost(uri.Host);
    }

    /// <summary>Only the name localhost or a literal loopback address: a name like 127.attacker.example is not loopback.</summary>
    private static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
