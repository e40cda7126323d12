namespace Proctor.Ledger.Appending;

/// <summary>Whether the ledger takes appends, as its last commit showed; what <c>/readyz</c> reports for it.</summary>
/// <param name="Failure">Why the last commit failed (the store's message), null while the ledger is writable.</param>
/// <param name="FailedAt">When the last commit failed; null while writable.</param>
public sealed record LedgerHealth(bool Writable, string? Failure, DateTimeOffset? FailedAt)
{
    public static readonly LedgerHealth Healthy = new(true, null, null);
}

/// <summary>Reports the ledger's health. Implemented by <see cref="AuditLedger"/>; read by the host's readiness check.</summary>
public interface ILedgerHealth
{
    LedgerHealth Health { get; }
}
