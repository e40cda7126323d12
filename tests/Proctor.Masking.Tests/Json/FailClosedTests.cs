using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Proctor.Masking.Policy;

namespace Proctor.Masking.Tests.Json;

public class FailClosedTests
{
    /// <summary>A clock that jumps a minute every time it is read.</summary>
    private sealed class JumpingClock : TimeProvider
    {
        private long _now;
        public override long GetTimestamp() => _now += TimestampFrequency * 60;
    }

    [Fact]
    public void TimeBudgetExceeded_Throws()
    {
        var engine = Masker.Engine(new MaskingPolicy(), new JumpingClock());
        var e = Assert.Throws<MaskingFailedException>(() =>
            engine.MaskText(new string('1', 5000), MaskingScope.Gateway, MaskingAudience.Storage));
        Assert.Contains("time budget", e.Message);
    }

    [Fact]
    public void MalformedJson_Throws()
    {
        var e = Assert.Throws<MaskingFailedException>(() =>
            Masker.Defaults.MaskUtf8Json("{\"ssn\":\"123-45-6789\""u8, new ArrayBufferWriter<byte>(), MaskingScope.Gateway, MaskingAudience.Storage));
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void CatastrophicCustomPattern_TimesOut_AndThrows()
    {
        var engine = Masker.Engine(new MaskingPolicy
        {
            CustomPatterns = [new CustomPattern("evil", "^(a+)+$")],
            TimeBudget = TimeSpan.FromMilliseconds(50),
        });
        var text = new string('a', 40) + "!";
        var e = Assert.Throws<MaskingFailedException>(() =>
            engine.MaskJson(JsonNode.Parse($"{{\"x\":\"{text}\"}}"), MaskingScope.Gateway, MaskingAudience.Storage));
        Assert.IsType<System.Text.RegularExpressions.RegexMatchTimeoutException>(e.InnerException);
    }
}
