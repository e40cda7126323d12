using Proctor.Configuration.Binding;
using Proctor.Configuration.Options;
using Proctor.Configuration.Reading;

namespace Proctor.Configuration.Tests.Reading;

public sealed class KeySuggestionTests
{
    [Theory]
    [InlineData("tiemout", "timeout")]
    [InlineData("TIMEOUT", "timeout")]
    [InlineData("comand", "command")]
    [InlineData("allowlinklocal", "allowLinkLocal")]
    [InlineData("shutdown", "shutdownGrace")]
    [InlineData("workDir", "cwd")]
    [InlineData("zzz", null)]
    [InlineData("mode", null)]
    public void Closest_Written_SuggestsKnownKeyOrNothing(string written, string? expected)
    {
        Assert.Equal(expected, KeySuggestion.Closest(written, ObjectSchema.Of<UpstreamOptions>().Keys));
    }
}
