using System.Text;
using Proctor.Mcp.Upstreams.Framing;

namespace Proctor.Mcp.Tests.Upstreams.Framing;

public sealed class SseReaderTests
{
    private static async Task<List<string>> ReadAsync(string input, long max, int chunk)
    {
        var events = new List<string>();
        await foreach (var item in SseReader.ReadAsync(new ChunkedStream(Encoding.UTF8.GetBytes(input), chunk), max, CancellationToken.None))
        {
            events.Add(item.Oversize is { } scan
                ? $"{item.EventType}: oversize {scan.Length} id={scan.Id?.ToJsonString()}"
                : $"{item.EventType}[{item.LastEventId}]: {Encoding.UTF8.GetString(item.Data!)}");
        }

        return events;
    }

    public static TheoryData<string> LineEndings => new() { "\n", "\r\n", "\r" };

    [Theory]
    [MemberData(nameof(LineEndings))]
    public async Task Read_EventsWithEveryLineEndingAndEveryChunking_SameEvents(string eol)
    {
        var stream = string.Join(eol, [": keep-alive", "id: e1", "data: {\"a\":1}", "", "event: custom", "data:first", "data: second", "", "data: {\"b\":2}", "", "data: unfinished"]);

        for (var chunk = 1; chunk <= stream.Length; chunk++)
        {
            var events = await ReadAsync(stream, 1024, chunk);

            Assert.Equal(["message[e1]: {\"a\":1}", "custom[e1]: first\nsecond", "message[e1]: {\"b\":2}"], events);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(4096)]
    public async Task Read_EventLargerThanTheBound_ReportedWithItsIdAndTheNextEventIsRead(int chunk)
    {
        var big = $"{{\"result\":{{\"t\":\"{new string('z', 500)}\"}},\"jsonrpc\":\"2.0\",\"id\":77}}";
        var stream = $"data: {{\"n\":1}}\n\ndata: {big[..200]}\ndata: {big[200..]}\n\ndata: {{\"n\":2}}\n\n";

        var events = await ReadAsync(stream, 128, chunk);

        Assert.Equal(3, events.Count);
        Assert.Equal("message[]: {\"n\":1}", events[0]);
        Assert.StartsWith("message: oversize ", events[1]);
        Assert.EndsWith("id=77", events[1]);
        Assert.Equal("message[]: {\"n\":2}", events[2]);
    }

    [Fact]
    public async Task Read_OneDataLineOfTenMebibytes_NeverHeldAndReportedOversize()
    {
        var data = "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"t\":\"" + new string('q', 10 << 20) + "\"}}";

        var events = await ReadAsync($"data: {data}\n\n", 1 << 20, 64 << 10);

        Assert.Equal([$"message: oversize {data.Length} id=3"], events);
    }
}
