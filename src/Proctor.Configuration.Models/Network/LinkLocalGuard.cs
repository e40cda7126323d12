using System.Net;
using System.Net.Sockets;

namespace Proctor.Configuration.Models.Network;

/// <summary>
/// The server-side request forgery guard for remote upstreams: link-local addresses are where cloud
/// instance metadata and credentials are served (169.254.169.254 on AWS, Azure and GCP; the ECS task
/// endpoint 169.254.170.2; fd00:ec2::254 on AWS IPv6), so an upstream URL pointing there could hand
/// the gateway's own cloud credentials to whoever controls the configuration or DNS. Refused unless an
/// upstream sets <c>allowLinkLocal: true</c>.
/// </summary>
public static class LinkLocalGuard
{
    // AWS serves IMDS, DNS and NTP for IPv6-only subnets from fd00:ec2::/32.
    private static readonly IPNetwork AwsServices = IPNetwork.Parse("fd00:ec2::/32");
    private static readonly IPNetwork IPv4LinkLocal = IPNetwork.Parse("169.254.0.0/16");
    private static readonly IPNetwork IPv6LinkLocal = IPNetwork.Parse("fe80::/10");

    // RFC 6052 NAT64 prefix: 64:ff9b::169.254.169.254 reaches the IPv4 metadata endpoint through NAT64.
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    // Names that cloud resolvers answer with a metadata address.
    private static readonly string[] MetadataHostNames = ["metadata.google.internal", "instance-data", "instance-data.ec2.internal"];

    /// <summary>Whether <paramref name="address"/> is link-local or a cloud metadata address, in any of its IPv4/IPv6 spellings.</summary>
    public static bool IsBlocked(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6 && Nat64.Contains(address))
        {
            var bytes = address.GetAddressBytes();
            address = new IPAddress(bytes.AsSpan(12, 4));
        }

        return address.AddressFamily == AddressFamily.InterNetwork
            ? IPv4LinkLocal.Contains(address)
            : IPv6LinkLocal.Contains(address) || AwsServices.Contains(address);
    }

    /// <summary>
    /// Whether a URL host (an IP literal or a name) is blocked. Only literals and well-known metadata
    /// names can be judged here; other names MUST be checked again after DNS resolution.
    /// </summary>
    public static bool IsBlocked(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var bare = host.Trim('[', ']').TrimEnd('.');
        var scope = bare.IndexOf('%');
        if (scope >= 0)
        {
            bare = bare[..scope];
        }

        if (IPAddress.TryParse(bare, out var address))
        {
            return IsBlocked(address);
        }

        return MetadataHostNames.Contains(bare, StringComparer.OrdinalIgnoreCase);
    }
}
