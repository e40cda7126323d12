using System.Net;
using System.Net.Sockets;

namespace Proctor.Mcp.Pipeline;

/// <summary>Whose limits a request counts against.</summary>
public static class IdentityKeys
{
    /// <summary>
    /// A verified caller's key (issuer and subject). Anonymous callers all share one name, so they are told
    /// apart by network address instead: IPv4 as is, IPv6 by its /64, the block one host or subscriber usually
    /// holds (RFC 6177), so that rotating addresses within it does not buy a fresh share.
    /// </summary>
    public static string Of(Caller caller)
    {
        if (caller.IsAuthenticated)
        {
            return caller.Key;
        }

        var address = caller.SourceAddress;
        if (address is null)
        {
            return "anonymous";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            address = new IPAddress(bytes);
            return $"anonymous@{address}/64";
        }

        return $"anonymous@{address}";
    }
}
