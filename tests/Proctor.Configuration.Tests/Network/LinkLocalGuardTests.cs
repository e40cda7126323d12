using System.Net;
using Proctor.Configuration.Models.Network;

namespace Proctor.Configuration.Tests.Network;

public sealed class LinkLocalGuardTests
{
    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.170.2")]
    [InlineData("169.254.0.1")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fd00:ec2::23")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    public void IsBlocked_LinkLocalAddress_IsTrue(string address)
    {
        Assert.True(LinkLocalGuard.IsBlocked(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("169.255.0.1")]
    [InlineData("::1")]
    [InlineData("fd00:ec3::254")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:10.0.0.1")]
    public void IsBlocked_OrdinaryAddress_IsFalse(string address)
    {
        Assert.False(LinkLocalGuard.IsBlocked(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("[fd00:ec2::254]", true)]
    [InlineData("[fe80::1%eth0]", true)]
    [InlineData("Metadata.Google.Internal.", true)]
    [InlineData("instance-data", true)]
    [InlineData("crm.example.com", false)]
    [InlineData("localhost", false)]
    public void IsBlocked_Host_JudgesLiteralsAndMetadataNames(string host, bool expected)
    {
        Assert.Equal(expected, LinkLocalGuard.IsBlocked(host));
    }
}
