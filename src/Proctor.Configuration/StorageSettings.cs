namespace Proctor.Configuration;

/// <summary>The <c>storage:</c> section. <see cref="Path"/> is absolute: the SQLite database file.</summary>
public sealed record StorageSettings(string Path)
{
    /// <summary>How often the running gateway purges payloads past <see cref="Retention"/>, when it is set.</summary>
    public static readonly TimeSpan DefaultRetentionCheckInterval = TimeSpan.FromHours(1);

    /// <summary>Null: payloads are kept until an operator purges them.</summary>
    public RetentionPeriod? Retention { get; init; }

    public TimeSpan RetentionCheckInterval { get; init; } = DefaultRetentionCheckInterval;
}
