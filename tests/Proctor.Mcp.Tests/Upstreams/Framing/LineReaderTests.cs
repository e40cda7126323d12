using System.Buffers;
using System.Text;
using Proctor.Mcp.Upstreams.Framing;

namespace Proctor.Mcp.Tests.Upstreams.Framing;

public sealed class LineReaderTests
{
    private static async Task<List<string>> ReadAsync(byte[] input, long max, int chunk)
    {
        var seen = new List<string>();
        await new LineReader(new ChunkedStream(input, chunk), max).ReadAllAsync(
            line =>
            {
                seen.Add(Encoding.UTF8.GetString(line));
                return ValueTask.CompletedTask;
            },
            scan =>
            {
                seen.Add($"oversize {scan.Length} id={scan.Id?.ToJsonString()}");
                return ValueTask.CompletedTask;
            },
            CancellationToken.None);
        return seen;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Read_LinesUpToTheBound_HandedOverWholeAndAnOversizeLineIsReportedWithItsId(int chunk)
    {
        var big = $"{{\"result\":{{\"text\":\"{new string('x', 300)}\"}},\"id\":5}}";
        var input = Encoding.UTF8.GetBytes($"{{\"id\":1}}\n\n{big}\n{{\"id\":2}}\nlast");

        var lines = await ReadAsync(input, 64, chunk);

        Assert.Equal(["{\"id\":1}", $"oversize {big.Length} id=5", "{\"id\":2}", "last"], lines);
    }

    [Fact]
    public async Task Read_OversizeLineWithoutNewlineAtTheEnd_IsReportedAtTheEnd()
    {
        var lines = await ReadAsync(Encoding.UTF8.GetBytes("{\"id\":1}\n" + new string('y', 1000)), 100, 64);

        Assert.Equal(["{\"id\":1}", "oversize 1000 id="], lines);
    }
}
