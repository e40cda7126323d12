using Proctor.Configuration.Formats;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Validation;

/// <summary>The <c>logging:</c> section.</summary>
internal sealed class LoggingValidator : IOptionsValidator
{
    public void Validate(ProctorOptions options, ValidationContext context)
    {
        if (options.Logging.Level is { } level)
        {
            context.AddIf(LogLevelFormat.TryParse(level, out _, out var problem), "logging.level", problem);
        }
    }
}
