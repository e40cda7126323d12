using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Tests.Protocol;

public sealed class JsonScratchTests
{
    [Fact]
    public void Write_MessagesOfEverySizeInTurn_EachIsWrittenWhole()
    {
        // Past the 1 MiB the thread keeps, the buffer is replaced at the next write: what follows a large message must
        // not carry any of it, and what follows a small one must not be cut to its size.
        foreach (var size in new[] { 0, 3, 70_000, (1 << 20) + 5, 2, 3 << 20, 40, 0 })
        {
            var message = new JsonObject { ["id"] = size, ["text"] = new string('é', size / 2) + "\u2028\"<" };

            var written = Encoding.UTF8.GetString(JsonScratch.Write(message, static (node, writer) => node.WriteTo(writer)));

            Assert.Equal(message.ToJsonString(), written);
        }
    }

    [Fact]
    public void Write_AfterAWriteThatFailedHalfway_TheNextIsWrittenWhole()
    {
        Assert.Throws<InvalidOperationException>(() => JsonScratch.Write(0, static (_, writer) =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("open");
            throw new InvalidOperationException("a message that cannot be written");
        }));

        var written = JsonScratch.Write(new JsonObject { ["n"] = 1 }, static (node, writer) => node.WriteTo(writer));

        Assert.Equal("{\"n\":1}", Encoding.UTF8.GetString(written));
    }

    [Fact]
    public void Write_TwoThreads_EachWritesIntoItsOwnBuffer()
    {
        var bothWriting = new Barrier(2);
        var results = new string[2];

        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var json = JsonScratch.Write(i, (n, writer) =>
            {
                writer.WriteStartObject();
                writer.WriteNumber("thread", n);
                bothWriting.SignalAndWait(TimeSpan.FromSeconds(10));
                writer.WriteString("text", new string((char)('a' + n), 100));
                writer.WriteEndObject();
            });
            results[i] = Encoding.UTF8.GetString(json);
        });

        Assert.Equal([$"{{\"thread\":0,\"text\":\"{new string('a', 100)}\"}}", $"{{\"thread\":1,\"text\":\"{new string('b', 100)}\"}}"], results);
    }
}
