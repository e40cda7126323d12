using System.Net;
using Proctor.Mcp.Pipeline;

namespace Proctor.Mcp.Tests.Pipeline;

public sealed class IdentityKeysTests
{
    [Theory]
    [InlineData("10.0.0.7", "anonymous@10.0.0.7")]
    [InlineData("::ffff:10.0.0.7", "anonymous@10.0.0.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "anonymous@2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "anonymous@2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "anonymous@2001:db8:1:3::/64")]
    public void Of_AnonymousCaller_IsItsAddressOrIPv6Slash64(string address, string expected)
    {
        Assert.Equal(expected, IdentityKeys.Of(Caller.Anonymous(IPAddress.Parse(address), null, "2025-11-25")));
    }

    [Fact]
    public void Of_VerifiedCaller_IsIssuerAndSubjectWhateverTheAddress()
    {
        var caller = new Caller("alice", "oidc", IPAddress.Parse("10.0.0.7"), null, "2025-11-25") { Issuer = "https://login.example.com" };

        Assert.Equal("https://login.example.com|alice", IdentityKeys.Of(caller));
        Assert.Equal(IdentityKeys.Of(caller), IdentityKeys.Of(caller with { SourceAddress = IPAddress.Parse("10.0.0.8") }));
    }
}
