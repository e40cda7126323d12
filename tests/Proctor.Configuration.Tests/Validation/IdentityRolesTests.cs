using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Validation;

/// <summary><c>identity.roles</c>: roles the gateway knows, granted to identity-provider groups.</summary>
public sealed class IdentityRolesTests
{
    private const string Identity = """
        identity:
          resource: "https://gateway.example.com/mcp"
          issuers: ["https://login.example.com"]
        """;

    [Fact]
    public void Roles_Mapped_GrantTheirGroupsOnly_AndArePartOfTheHash()
    {
        var model = Model(Identity + "\n  roles: { auditor: [\"auditors\", \"examiners\", \"auditors\"], admin: [\"gateway-admins\"] }\n");
        var identity = model.Identity!;

        Assert.Equal(["auditors", "examiners"], identity.Roles[IdentityRoles.Auditor]);
        Assert.True(identity.Grants(IdentityRoles.Auditor, ["analysts", "examiners"]));
        Assert.False(identity.Grants(IdentityRoles.Auditor, ["analysts", "gateway-admins"]));
        Assert.True(identity.Grants(IdentityRoles.Admin, ["gateway-admins"]));
        Assert.False(identity.Grants(IdentityRoles.Admin, []));
        Assert.NotEqual(Model(Identity).Hash, model.Hash);
    }

    [Fact]
    public void Roles_NotWritten_NobodyHoldsARole_AndTheHashIsUnchanged()
    {
        var model = Model(Identity);

        Assert.Empty(model.Identity!.Roles);
        Assert.False(model.Identity.Grants(IdentityRoles.Auditor, ["auditors"]));
        Assert.Equal(Model(Identity + "\n  groupsClaim: \"groups\"\n").Hash, model.Hash);
    }

    [Fact]
    public void Roles_SetFromTheEnvironment_AreCheckedLikeTheFile()
    {
        var model = Model(Identity, Environment(("PROCTOR__IDENTITY__ROLES__AUDITOR__0", "auditors")));

        Assert.Equal(["auditors"], model.Identity!.Roles[IdentityRoles.Auditor]);
    }

    [Theory]
    [InlineData("{ auditer: [\"auditors\"] }", "identity.roles.auditer: \"auditer\" is not a role the gateway knows (did you mean \"auditor\"?); the roles are auditor, approver, admin, breakglass")]
    [InlineData("{ approvers: [\"approvers\"] }", "identity.roles.approvers: \"approvers\" is not a role the gateway knows (did you mean \"approver\"?); the roles are auditor, approver, admin, breakglass")]
    [InlineData("{ auditor: [] }", "identity.roles.auditor: lists no group; name the identity provider groups whose members hold this role, e.g. [\"auditors\"]")]
    [InlineData("{ auditor: }", "identity.roles.auditor: lists no group; name the identity provider groups whose members hold this role, e.g. [\"auditors\"]")]
    [InlineData("{ auditor: \"auditors\" }", "identity.roles.auditor: expected a list of groups, found \"auditors\"; use [\"auditors\"]")]
    [InlineData("[\"auditor\"]", "identity.roles: expected a map from role to a list of groups, found a list; use e.g. { auditor: [\"auditors\"] }")]
    [InlineData("{ auditor: [\"\"] }", "identity.roles.auditor[0]: is blank; name a group exactly as the groups claim carries it, e.g. \"auditors\"")]
    public void Roles_Invalid_AreRefusedNamingTheKey(string roles, string expected)
    {
        Assert.Equal(expected, Assert.Single(Errors(Identity + $"\n  roles: {roles}\n")));
    }
}
