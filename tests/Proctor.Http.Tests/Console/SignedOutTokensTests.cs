using Microsoft.Extensions.Time.Testing;
using Proctor.Http.Console;

namespace Proctor.Http.Tests.Console;

public sealed class SignedOutTokensTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);

    [Fact]
    public void ASignedOutToken_IsRefusedForOneIdlePeriod_ThenForgotten()
    {
        var time = new FakeTimeProvider();
        var signedOut = new SignedOutTokens(Idle, time);

        signedOut.Add("token-a");
        time.Advance(Idle - TimeSpan.FromSeconds(1));
        var justBefore = signedOut.Contains("token-a");
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(justBefore);
        Assert.False(signedOut.Contains("token-a"));
        Assert.False(signedOut.Contains("token-b"));
    }

    [Fact]
    public void SigningInAgainWithTheSameToken_AdmitsIt()
    {
        var signedOut = new SignedOutTokens(Idle, new FakeTimeProvider());
        signedOut.Add("token-a");

        signedOut.Remove("token-a");

        Assert.False(signedOut.Contains("token-a"));
    }
}
