using Proctor.Configuration.Models;

namespace Proctor.Configuration;

/// <summary>What <c>proctor approvals</c>, <c>access</c> and <c>reviews</c> read of a configuration: where the data is, whose tokens to trust, and the approval and access settings.</summary>
/// <param name="Identity">Null when the configuration has no identity section: nobody can be verified as an approver.</param>
public sealed record ApproverSections(StorageSettings Storage, IdentitySettings? Identity, ApprovalSettings Approvals)
{
    public AccessSettings Access { get; init; } = new();

    /// <summary>The policy in force, when it was asked for (what may be granted, and who approves it); null otherwise.</summary>
    public GatewayPolicy? Policy { get; init; }
}
