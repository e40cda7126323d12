using Proctor.Configuration.Formats;

namespace Proctor.Configuration.Tests.Formats;

public sealed class DurationFormatTests
{
    [Theory]
    [InlineData(500, "500ms")]
    [InlineData(30_000, "30s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_600_000, "1h")]
    [InlineData(86_400_000, "24h")]
    [InlineData(3_723_004, "1h2m3s4ms")]
    public void Format_Duration_RoundTrips(int milliseconds, string expected)
    {
        var value = TimeSpan.FromMilliseconds(milliseconds);

        Assert.Equal(expected, DurationFormat.Format(value));
        Assert.True(DurationFormat.TryParse(expected, "30s", out var parsed, out _));
        Assert.Equal(value, parsed);
    }
}
