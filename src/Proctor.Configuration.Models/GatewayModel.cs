using Proctor.Masking.Policy;

namespace Proctor.Configuration.Models;

/// <summary>
/// The validated, immutable configuration. A new instance is built on every load and swapped in
/// whole; nothing in it changes afterwards.
/// </summary>
public sealed class GatewayModel
{
    public required GatewaySettings Gateway { get; init; }

    public required LoggingSettings Logging { get; init; }

    /// <summary>Null when no <c>identity:</c> section is configured: callers are then anonymous.</summary>
    public IdentitySettings? Identity { get; init; }

    /// <summary>Where the gateway keeps its data (agent keys; later the ledger).</summary>
    public required StorageSettings Storage { get; init; }

    /// <summary>
    /// The <c>masking:</c> section as the engine's policy (the built-in rules when there is none), with
    /// the gateway's own resolved credentials as <see cref="MaskingPolicy.GatewaySecrets"/>.
    /// </summary>
    public MaskingPolicy Masking { get; init; } = new();

    /// <summary>The <c>approvals:</c> section: holding calls that need approval (docs/approvals.md).</summary>
    public ApprovalSettings Approvals { get; init; } = new();

    /// <summary>The <c>access:</c> section: limits of just-in-time grants and break-glass (docs/access.md).</summary>
    public AccessSettings Access { get; init; } = new();

    /// <summary>The <c>console:</c> section: how people sign in to the web console (docs/console.md).</summary>
    public ConsoleSettings Console { get; init; } = new();

    /// <summary>The policy in force at load (the built-in default without a <c>policy:</c> section); a reload of its file swaps in another.</summary>
    public required GatewayPolicy Policy { get; init; }

    /// <summary>Where notices of approvals, grants and break-glass go (no webhook: none is sent).</summary>
    public NotificationSettings Notifications { get; init; } = new();

    /// <summary>Upstreams by name (ordinal, frozen when the model is built).</summary>
    public required IReadOnlyDictionary<string, UpstreamModel> Upstreams { get; init; }

    /// <summary>
    /// Lower-case hex SHA-256 of the canonical form of the configuration (RFC 8785 JSON, decision 0024).
    /// Ledger records name the configuration version that decided them by this hash, so it MUST depend
    /// only on the effective settings: equal settings give equal hashes however the YAML was written
    /// ("60s" or "1m", comments, key order, a default written out or left out), and any changed setting
    /// changes it. Secrets MUST contribute only their reference text (<c>Bearer ${env:CRM_TOKEN}</c>),
    /// never plaintext, so rotating a secret does not change the hash and the hash reveals nothing about a secret.
    /// </summary>
    public required string Hash { get; init; }

    /// <summary>The canonical JSON whose SHA-256 is <see cref="Hash"/>; holds references, never secrets.</summary>
    internal string CanonicalJson { get; init; } = "";
}
