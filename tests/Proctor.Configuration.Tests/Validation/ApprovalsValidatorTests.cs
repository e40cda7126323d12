using Proctor.Configuration.Models;
using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Validation;

/// <summary>The <c>approvals:</c> section: defaults, bounds, and the hold inside the validity window.</summary>
public sealed class ApprovalsValidatorTests
{
    [Fact]
    public void Absent_Defaults_AndTheHashOfAConfigurationWithoutIt()
    {
        var model = Model("");

        Assert.Equal((TimeSpan.FromSeconds(20), TimeSpan.FromHours(1), 100), (model.Approvals.HoldTime, model.Approvals.Validity, model.Approvals.MaxHeldCalls));
        Assert.Equal(model.Hash, Model("approvals: { holdTime: \"20s\", validity: \"60m\" }").Hash);
        Assert.NotEqual(model.Hash, Model("approvals: { holdTime: \"10s\" }").Hash);
    }

    [Fact]
    public void Written_Read()
    {
        var model = Model("approvals: { holdTime: \"1s\", validity: \"15m\", maxHeldCalls: 5 }");

        Assert.Equal(new ApprovalSettings { HoldTime = TimeSpan.FromSeconds(1), Validity = TimeSpan.FromMinutes(15), MaxHeldCalls = 5 }, model.Approvals);
    }

    [Theory]
    [InlineData("{ holdTime: \"56s\" }", "approvals.holdTime: 56s is longer than clients wait for a tool call (60 s by default); use at most \"55s\", e.g. \"20s\"")]
    [InlineData("{ holdTime: \"30s\", validity: \"30s\" }", "approvals.validity: 30s is not longer than approvals.holdTime (30s), so a held call's request would expire while it waits; use e.g. \"1h\"")]
    [InlineData("{ maxHeldCalls: 0 }", "approvals.maxHeldCalls: \"0\" is out of range; use a whole number from 1 to 10000")]
    [InlineData("{ holdTime: \"20\" }", "approvals.holdTime: \"20\" is not a duration; use \"20s\"")]
    [InlineData("{ holdtime: \"20s\" }", "approvals.holdtime: unknown key; did you mean \"holdTime\"?")]
    public void Invalid_RefusedNamingTheKey(string approvals, string expected) =>
        Assert.Equal(expected, Assert.Single(Errors($"approvals: {approvals}")));
}
