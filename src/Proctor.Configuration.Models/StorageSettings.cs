using Proctor.Configuration.Models.Schema;

namespace Proctor.Configuration.Models;

/// <summary>
/// The <c>storage:</c> section. In the model <see cref="Path"/> is absolute: the SQLite database file. As
/// written it is relative to the configuration file's folder, so that a gateway and its data move together.
/// </summary>
public sealed record StorageSettings([property: Setting("a file path", "\"proctor-data/proctor.db\"", Format = ValueFormat.StoragePath)] string Path)
{
    public const string DefaultPath = "proctor-data/proctor.db";

    /// <summary>How often the running gateway purges payloads past <see cref="Retention"/>, when it is set.</summary>
    public static readonly TimeSpan DefaultRetentionCheckInterval = TimeSpan.FromHours(1);

    /// <summary>How long a write waits for the ledger while another process holds it before the call is refused.</summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(5);

    public StorageSettings()
        : this(DefaultPath)
    {
    }

    /// <summary>Null: payloads are kept until an operator runs <c>proctor audit purge --before</c>.</summary>
    [Setting("a retention period", "\"7y\"")]
    public RetentionPeriod? Retention { get; init; }

    [Setting("a duration", "\"1h\"")]
    public TimeSpan RetentionCheckInterval { get; init; } = DefaultRetentionCheckInterval;

    /// <summary>
    /// How long recording waits for the ledger's database or log while another process (<c>proctor audit hold</c>,
    /// a backup) holds it. Past it the call is refused, not forwarded: the caller waits at most this long for evidence.
    /// </summary>
    [Setting("a duration", "\"5s\"")]
    public TimeSpan LockTimeout { get; init; } = DefaultLockTimeout;

    /// <summary>
    /// On Linux, runs the ledger's writer on the CPUs that take the ledger disk's completion interrupts when those are
    /// fewer than all (a disk with one queue, as on many virtual machines), so each commit's wait ends without a
    /// cross-CPU wake-up (decision 0063). Does nothing where completions arrive on every CPU.
    /// </summary>
    [Setting("true or false", "true")]
    public bool PinLedgerWriter { get; init; } = true;
}
