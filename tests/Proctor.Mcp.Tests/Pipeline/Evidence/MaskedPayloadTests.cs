using System.Text;
using System.Text.Json.Nodes;
using Proctor.Mcp.Pipeline.Evidence;

namespace Proctor.Mcp.Tests.Pipeline.Evidence;

public sealed class MaskedPayloadTests
{
    private static readonly Dictionary<string, int> OneSsn = new() { ["ssn"] = 1 };

    [Fact]
    public void Written_KeepsTheMaskersBytes_AndReadsTheMessageFromThem()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":7,"result":{"text":"[SSN]"}}""");

        var masked = MaskedPayload.Written(bytes, OneSsn);

        Assert.Equal(bytes, masked.Utf8!.Value.ToArray());
        Assert.Equal("[SSN]", (string?)masked.Message["result"]!["text"]);
        Assert.Equal(1, masked.CountsByEntity["ssn"]);
    }

    [Fact]
    public void Written_ReadsTheMessageOnce_SoAChangeToItIsKept()
    {
        var masked = MaskedPayload.Written(Encoding.UTF8.GetBytes("""{"result":{"tools":[]}}"""), OneSsn);

        masked.Message["result"]!["nextCursor"] = "c2";

        Assert.Same(masked.Message, masked.Message);
        Assert.Equal("c2", (string?)masked.Message["result"]!["nextCursor"]);
    }

    [Fact]
    public void DroppingTheBytes_AfterAChange_KeepsTheChangedMessage()
    {
        var masked = MaskedPayload.Written(Encoding.UTF8.GetBytes("""{"result":{}}"""), OneSsn);
        masked.Message["result"]!["added"] = true;

        var changed = masked with { Utf8 = null };

        Assert.Null(changed.Utf8);
        Assert.Equal("""{"result":{"added":true}}""", changed.Message.ToJsonString());
    }

    [Fact]
    public void DroppingTheBytes_BeforeTheMessageIsRead_StillReadsTheMaskersCopy()
    {
        var changed = MaskedPayload.Written(Encoding.UTF8.GetBytes("""{"result":{"n":1}}"""), OneSsn) with { Utf8 = null };

        Assert.Equal(1, (int)changed.Message["result"]!["n"]!);
    }

    [Fact]
    public async Task ReadFromManyThreadsAtOnce_EveryoneGetsTheSameMessage()
    {
        for (var round = 0; round < 50; round++)
        {
            var masked = MaskedPayload.Written(Encoding.UTF8.GetBytes("""{"result":{"n":1}}"""), OneSsn);
            using var start = new ManualResetEventSlim();
            var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() => { start.Wait(); return masked.Message; })).ToArray();
            start.Set();

            var messages = await Task.WhenAll(readers);

            Assert.All(messages, m => Assert.Same(messages[0], m));
        }
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[1,2]")]
    [InlineData("{\"result\":")]
    public void BytesThatAreNoMessage_AreNeverDelivered_ReadingThemThrows(string written)
    {
        var masked = MaskedPayload.Written(Encoding.UTF8.GetBytes(written), OneSsn);

        Assert.ThrowsAny<Exception>(() => masked.Message);
        Assert.ThrowsAny<Exception>(() => masked.Message); // and again: no half-read message is kept
    }

    [Fact]
    public void AMessageGiven_IsTheMessage_WithNoBytesUnlessGiven()
    {
        var message = new JsonObject { ["result"] = new JsonObject() };

        var masked = new MaskedPayload(message, OneSsn);

        Assert.Same(message, masked.Message);
        Assert.Null(masked.Utf8);
    }
}
