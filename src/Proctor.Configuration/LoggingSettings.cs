namespace Proctor.Configuration;

/// <summary>The <c>logging:</c> section. <see cref="Level"/> is one of Trace, Debug, Information, Warning, Error, Critical.</summary>
public sealed record LoggingSettings(string Level);
