namespace Proctor.Configuration;

/// <summary>The <c>storage:</c> section. <see cref="Path"/> is absolute: the SQLite database file.</summary>
public sealed record StorageSettings(string Path);
