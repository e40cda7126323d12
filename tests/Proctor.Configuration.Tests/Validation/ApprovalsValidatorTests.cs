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

    [Fact]
    public void LoadApproverSections_ReadsStorageIdentityAndApprovalsOnly_UnresolvableSecretsElsewhereDoNotMatter()
    {
        using var folder = new TemporaryFolder();
        var file = Path.Combine(folder.Path, "proctor.yaml");
        File.WriteAllText(file, """
            storage: { path: data/proctor.db }
            identity: { resource: "https://gateway.bank.example/mcp", issuers: ["https://login.bank.example"], issuerKeys: { "https://login.bank.example": keys.json }, roles: { approver: [supervisors] } }
            approvals: { validity: "2h" }
            upstreams: { crm: { url: "https://crm.example.com/mcp", headers: { Authorization: "Bearer ${aws-ssm:/not/reachable}" } } }
            """);

        var (sections, errors) = ConfigurationLoader.LoadApproverSections(file, NoEnvironment);

        Assert.Empty(errors);
        Assert.Equal(Path.Combine(folder.Path, "data", "proctor.db"), sections!.Storage.Path);
        Assert.Equal(Path.Combine(folder.Path, "keys.json"), sections.Identity!.IssuerKeyFiles["https://login.bank.example"]);
        Assert.True(sections.Identity.Grants(IdentityRoles.Approver, ["supervisors"]));
        Assert.Equal(TimeSpan.FromHours(2), sections.Approvals.Validity);
    }

    [Fact]
    public void LoadApproverSections_ErrorsInTheseSections_NamedLikeTheGatewayNamesThem()
    {
        using var folder = new TemporaryFolder();
        var file = Path.Combine(folder.Path, "proctor.yaml");
        File.WriteAllText(file, "identity: { issuers: [\"https://login.bank.example\"], roles: { approvers: [x] } }\napprovals: { holdTime: \"2m\" }\n");

        var (sections, errors) = ConfigurationLoader.LoadApproverSections(file, NoEnvironment);

        Assert.Null(sections);
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Key == "identity.resource");
        Assert.Contains(errors, e => e.Key == "identity.roles.approvers");
        Assert.Contains(errors, e => e.Key == "approvals.holdTime");
    }
}
