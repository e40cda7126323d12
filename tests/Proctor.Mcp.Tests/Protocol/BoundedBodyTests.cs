using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Tests.Protocol;

public sealed class BoundedBodyTests
{
    /// <summary>Every length around the reader's steps (4 and 8 KiB, 64 KiB), declared truly, too short, too long or not at all.</summary>
    public static TheoryData<int, string> Bodies()
    {
        var data = new TheoryData<int, string>();
        foreach (var length in new[] { 0, 1, 4095, 4096, 4097, 8192, 8193, 65_535, 65_536, 65_537, 200_001 })
        {
            foreach (var declared in new[] { "true", "short", "long", "none" })
            {
                data.Add(length, declared);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task ReadAsync_EveryLengthAndClaim_ReadsTheBytesSent_UpToTheLimit(int length, string declared)
    {
        var sent = Enumerable.Range(0, length).Select(i => (byte)(i * 31)).ToArray();
        long? claim = declared switch { "true" => length, "short" => length / 2, "long" => length * 2L + 1, _ => null };

        var atLimit = await BoundedBody.ReadAsync(new TrickleStream(sent), claim, limit: length, CancellationToken.None);
        Assert.False(atLimit.Exceeded);
        Assert.Equal(sent, atLimit.Bytes.ToArray());
        if (length > 0)
        {
            var pastLimit = await BoundedBody.ReadAsync(new TrickleStream(sent), claim, limit: length - 1, CancellationToken.None);
            Assert.True(pastLimit.Exceeded);
            Assert.True(pastLimit.Bytes.Length > length - 1);
        }
    }

    [Fact]
    public async Task ReadAsync_BodyAsDeclared_IsReadWhereItLands()
    {
        var sent = new byte[300];

        var read = await BoundedBody.ReadAsync(new TrickleStream(sent), 300, limit: 1 << 20, CancellationToken.None);

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(read.Bytes, out var array));
        Assert.Equal(301, array.Array!.Length); // the declared length and the byte that sees the end: never grown
    }

    /// <summary>A sender that delivers its body a few bytes at a time (TCP segments, chunks).</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 1_500)], cancellationToken);
    }
}
