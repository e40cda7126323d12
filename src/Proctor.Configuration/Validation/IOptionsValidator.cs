using Proctor.Configuration.Options;

namespace Proctor.Configuration.Validation;

/// <summary>
/// Checks one concern of the options and adds an error for every problem it finds; it never stops
/// at the first. Each message names the full key and a value that works.
/// </summary>
internal interface IOptionsValidator
{
    void Validate(ProctorOptions options, ValidationContext context);
}
