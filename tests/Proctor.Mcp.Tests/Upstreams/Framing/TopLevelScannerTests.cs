using System.Text;
using Proctor.Mcp.Upstreams.Framing;

namespace Proctor.Mcp.Tests.Upstreams.Framing;

public sealed class TopLevelScannerTests
{
    public static TheoryData<string, string?, bool> Messages => new()
    {
        // id before or after a large member, as SDKs write it
        { """{"jsonrpc":"2.0","id":7,"result":{"content":[{"type":"text","text":"xxxx"}]}}""", "7", false },
        { """{"result":{"content":[{"type":"text","text":"xxxx"}]},"jsonrpc":"2.0","id":7}""", "7", false },
        { """{"result":{},"jsonrpc":"2.0","id":"abc-1"}""", "\"abc-1\"", false },
        { """{ "id" : 42 , "result" : {} }""", "42", false },
        { "{\n\"result\": {},\n\"id\":\t9\n}", "9", false },
        // ids inside values are not the message's id
        { """{"result":{"id":5,"items":[{"id":6}]},"jsonrpc":"2.0","id":8}""", "8", false },
        { """{"result":{"text":"\"id\":5, \\\"id\\\": 6"},"id":3}""", "3", false },
        { """{"result":{"id":5}}""", null, false },
        // a request or notification has a method
        { """{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"p","message":"mmmm"}}""", null, true },
        { """{"jsonrpc":"2.0","id":"srv-1","method":"sampling/createMessage","params":{}}""", "\"srv-1\"", true },
        // not an id JSON-RPC allows
        { """{"id":{"x":1},"result":{}}""", null, false },
        { """{"id":[1],"result":{}}""", null, false },
        { """{"id":null,"error":{}}""", null, false },
        { """{"identity":1,"result":{}}""", null, false },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Feed_WholeMessage_FindsTheTopLevelIdAndMethod(string json, string? id, bool hasMethod)
    {
        var scanner = new TopLevelScanner();

        scanner.Feed(Encoding.UTF8.GetBytes(json));

        Assert.Equal(id, scanner.Id?.ToJsonString());
        Assert.Equal(hasMethod, scanner.HasMethod);
        Assert.Equal(Encoding.UTF8.GetByteCount(json), scanner.Length);
    }

    /// <summary>Every message, cut into two chunks at every byte: the result never depends on where a read ended.</summary>
    [Fact]
    public void Feed_EveryMessageSplitAtEveryByte_SameResultAsWhole()
    {
        foreach (var row in Messages)
        {
            var (json, id, hasMethod) = ((string)row[0], (string?)row[1], (bool)row[2]);
            var bytes = Encoding.UTF8.GetBytes(json);
            for (var cut = 0; cut <= bytes.Length; cut++)
            {
                var scanner = new TopLevelScanner();
                scanner.Feed(bytes.AsSpan(0, cut));
                scanner.Feed(bytes.AsSpan(cut));

                Assert.True(id == scanner.Id?.ToJsonString(), $"{json} cut at {cut}: id {scanner.Id?.ToJsonString()}");
                Assert.True(hasMethod == scanner.HasMethod, $"{json} cut at {cut}");
            }
        }
    }

    [Fact]
    public void Feed_OneHundredMebibyteString_KeepsNothingOfIt()
    {
        var scanner = new TopLevelScanner();
        var filler = new byte[1 << 20];
        filler.AsSpan().Fill((byte)'x');

        scanner.Feed("{\"result\":{\"content\":[{\"type\":\"text\",\"text\":\""u8);
        for (var i = 0; i < 100; i++)
        {
            scanner.Feed(filler);
        }

        scanner.Feed("\"}]},\"jsonrpc\":\"2.0\",\"id\":12}"u8);

        Assert.Equal("12", scanner.Id!.ToJsonString());
        Assert.False(scanner.HasMethod);
    }
}
