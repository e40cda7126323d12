using Proctor.Policy;

namespace Proctor.Configuration.Models;

/// <summary>
/// The policy a gateway decides with, and where it came from. Built when the configuration loads (and on
/// each reload of <see cref="File"/>); <see cref="PolicyModel.Hash"/> is what ledger records and <c>/readyz</c> name.
/// </summary>
/// <param name="Model">The validated, immutable policy.</param>
/// <param name="Source">Where it was read, as logs and the <c>policy.load</c> event name it: a file path, <c>proctor.yaml (policy:)</c>, or <see cref="DefaultSource"/>.</param>
/// <param name="File">The absolute path of the policy file the gateway watches and reloads; null for an inline or default policy, which change only with a restart.</param>
public sealed record GatewayPolicy(PolicyModel Model, string Source, string? File)
{
    /// <summary>The source of the policy used when the configuration has no <c>policy:</c> section (decision 0029).</summary>
    public const string DefaultSource = "built-in: allow every caller (no policy: section)";

    public bool IsDefault => Source == DefaultSource;
}
