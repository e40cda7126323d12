using System.Buffers;
using Proctor.Ledger.Canonical;

namespace Proctor.Ledger.Tests.Canonical;

/// <summary>A thread's scratch buffer comes back emptied and reused, and one grown past the kept size is replaced.</summary>
public sealed class ScratchBufferTests
{
    [Fact]
    public void Reuse_ThroughEverySizeInTurn_ReusesTheBufferUntilItGrewPastTheKeptSize()
    {
        ArrayBufferWriter<byte>? slot = null;
        var previous = ScratchBuffer.Reuse(ref slot);
        foreach (var size in new[] { 0, 1, 4_096, 4_097, 65_536, ScratchBuffer.KeptBytes - 1, ScratchBuffer.KeptBytes + 1, 10, 3 * ScratchBuffer.KeptBytes, 0 })
        {
            previous.Write(new byte[size]);
            var grewPast = previous.Capacity > ScratchBuffer.KeptBytes;

            var next = ScratchBuffer.Reuse(ref slot);

            Assert.Same(next, slot);
            Assert.Equal(0, next.WrittenCount);
            Assert.Equal(!grewPast, ReferenceEquals(next, previous));
            previous = next;
        }
    }
}
