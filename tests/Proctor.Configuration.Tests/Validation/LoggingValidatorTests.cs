using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Validation;

public sealed class LoggingValidatorTests
{
    [Theory]
    [InlineData("Trace", "Trace")]
    [InlineData("debug", "Debug")]
    [InlineData("INFORMATION", "Information")]
    [InlineData("Warning", "Warning")]
    [InlineData("Error", "Error")]
    [InlineData("critical", "Critical")]
    public void Validate_KnownLevel_IsNormalized(string level, string expected)
    {
        Assert.Equal(expected, Model($"logging: {{ level: {level} }}").Logging.Level);
    }

    [Theory]
    [InlineData("Info", "logging.level: \"Info\" is not a log level; did you mean \"Information\"? (one of Trace, Debug, Information, Warning, Error, Critical)")]
    [InlineData("warn", "logging.level: \"warn\" is not a log level; did you mean \"Warning\"? (one of Trace, Debug, Information, Warning, Error, Critical)")]
    [InlineData("None", "logging.level: \"None\" is not a log level; use one of Trace, Debug, Information, Warning, Error, Critical")]
    [InlineData("verbose", "logging.level: \"verbose\" is not a log level; use one of Trace, Debug, Information, Warning, Error, Critical")]
    public void Validate_UnknownLevel_ListsLevels(string level, string expected)
    {
        Assert.Equal([expected], Errors($"logging: {{ level: {level} }}"));
    }
}
