namespace Proctor.Configuration.Options;

/// <summary>The <c>storage:</c> section as written: where the gateway keeps its own data.</summary>
internal sealed class StorageOptions
{
    /// <summary>Relative to the configuration file's folder, so that a gateway and its data move together.</summary>
    public const string DefaultPath = "proctor-data/proctor.db";

    public string? Path { get; set; }

    /// <summary>Unset: payloads are kept until an operator runs <c>proctor audit purge --before</c>.</summary>
    public string? Retention { get; set; }

    public string? RetentionCheckInterval { get; set; }
}
