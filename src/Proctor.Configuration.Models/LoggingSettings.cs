using Proctor.Configuration.Models.Schema;

namespace Proctor.Configuration.Models;

/// <summary>The <c>logging:</c> section. <see cref="Level"/> is one of Trace, Debug, Information, Warning, Error, Critical.</summary>
public sealed record LoggingSettings([property: Setting("a log level", "\"Information\"", Format = ValueFormat.LogLevel)] string Level)
{
    public LoggingSettings()
        : this("Information")
    {
    }
}
