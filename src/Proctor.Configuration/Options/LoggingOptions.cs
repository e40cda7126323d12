namespace Proctor.Configuration.Options;

/// <summary>The <c>logging:</c> section as written.</summary>
internal sealed class LoggingOptions
{
    public const string DefaultLevel = "Information";

    public string? Level { get; set; }
}
