namespace Proctor.Configuration.Options;

/// <summary>The <c>storage:</c> section as written: where the gateway keeps its own data.</summary>
internal sealed class StorageOptions
{
    /// <summary>Relative to the configuration file's folder, so that a gateway and its data move together.</summary>
    public const string DefaultPath = "proctor-data/proctor.db";

    public string? Path { get; set; }
}
