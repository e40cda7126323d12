using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Tests.Protocol;

/// <summary>
/// Hostile bodies: every ambiguous or non-text fragment placed in every part of a message must be a parse
/// error at the door (-32700), never an exception later; the same places with legitimate but unusual
/// values (hard negatives) must parse and then read back without a throw.
/// </summary>
public sealed class StrictJsonTests
{
    /// <summary>Where a fragment goes: "%V" is a value position, "%K" a member-name position.</summary>
    private static readonly string[] Placements =
    [
        """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":%V}}}""",
        """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":%V}}""",
        """{"jsonrpc":"2.0","id":%V,"method":"ping"}""",
        """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":{"deep":[[{"x":[%V]}]]}}}""",
        """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":{%K:1}}}""",
        """{%K:"2.0","jsonrpc":"2.0","id":1,"method":"ping"}""",
        """{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{%K:true}}}""",
    ];

    /// <summary>Fragments that make a message ambiguous or not text, as raw bytes (some are not UTF-8).</summary>
    private static readonly (string Name, byte[] Value, byte[] Key)[] Hostile =
    [
        ("lone high surrogate escape", A("\"\\ud800\""), A("\"\\ud800\"")),
        ("lone low surrogate escape", A("\"\\udc00x\""), A("\"\\uDC00\"")),
        ("reversed surrogate pair", A("\"\\ude00\\ud83d\""), A("\"\\ude00\\ud83d\"")),
        ("high surrogate then text", A("\"\\ud83dA\""), A("\"\\ud83dA\"")),
        ("invalid byte 0xFF", [.. A("\"a"), 0xFF, .. A("\"")], [.. A("\"a"), 0xFF, .. A("\"")]),
        ("truncated two-byte sequence", [.. A("\""), 0xC3, .. A("\"")], [.. A("\""), 0xC3, .. A("\"")]),
        ("overlong slash", [.. A("\""), 0xC0, 0xAF, .. A("\"")], [.. A("\""), 0xC0, 0xAF, .. A("\"")]),
        ("surrogate encoded in UTF-8", [.. A("\""), 0xED, 0xA0, 0x80, .. A("\"")], [.. A("\""), 0xED, 0xA0, 0x80, .. A("\"")]),
        ("code point above U+10FFFF", [.. A("\""), 0xF4, 0x90, 0x80, 0x80, .. A("\"")], [.. A("\""), 0xF4, 0x90, 0x80, 0x80, .. A("\"")]),
        ("number beyond double", A("1e400"), A("\"k\":1e400,\"k2\"")),
        ("negative number beyond double", A("-1e400"), A("\"k\":-1e400,\"k2\"")),
        ("400-digit integer", A(new string('9', 400)), A($"\"k\":{new string('9', 400)},\"k2\"")),
        ("duplicate member", A("{\"a\":1,\"a\":2}"), A("\"dup\":1,\"dup\"")),
        ("duplicate member spelt with an escape", A("{\"a\":1,\"\\u0061\":2}"), A("\"b\":1,\"\\u0062\"")),
    ];

    /// <summary>Legitimate values in the same places: they must pass and read back whole.</summary>
    private static readonly (string Name, byte[] Value, byte[] Key)[] HardNegatives =
    [
        ("escaped surrogate pair", A("\"\\ud83d\\ude00\""), A("\"\\ud83d\\ude00\"")),
        ("raw four-byte UTF-8", A("\"😀\""), A("\"😀\"")),
        ("escaped NUL", A("\"a\\u0000b\""), A("\"\\u0000\"")),
        ("largest double", A("1.7976931348623157e308"), A("\"k\":1.7976931348623157e308,\"k2\"")),
        ("integer beyond 2^64", A("123456789012345678901234567890"), A("\"k\":123456789012345678901234567890,\"k2\"")),
        ("underflow to zero", A("1e-400"), A("\"k\":1e-400,\"k2\"")),
        ("same name in sibling objects", A("[{\"a\":1},{\"a\":2}]"), A("\"a\":{\"a\":1},\"b\"")),
        ("names differing by case", A("{\"a\":1,\"A\":2}"), A("\"c\":1,\"C\"")),
        ("backslash before u as text", A("\"\\\\ud800\""), A("\"\\\\ud800\"")),
    ];

    public static TheoryData<string, int> HostileCases() => Cases(Hostile);

    public static TheoryData<string, int> HardNegativeCases() => Cases(HardNegatives);

    [Theory]
    [MemberData(nameof(HostileCases))]
    public void TryParse_HostileFragmentAnywhere_IsAParseErrorWithoutEcho(string fragment, int placement)
    {
        var body = Body(Hostile, fragment, placement);

        var parsed = JsonRpc.TryParse(body, out _, out var error);

        Assert.False(parsed, $"{fragment} in placement {placement} was accepted");
        Assert.Equal(JsonRpcErrorCodes.ParseError, (int)error["error"]!["code"]!);
        Assert.DoesNotContain("999999", (string)error["error"]!["message"]!, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(HardNegativeCases))]
    public void TryParse_UnusualButValidFragmentAnywhere_ParsesAndReadsBackWhole(string fragment, int placement)
    {
        var body = Body(HardNegatives, fragment, placement);

        Assert.True(StrictJson.TryParse(body, out var message, out var problem), $"{fragment} in placement {placement}: {problem}");
        ReadEverything(message);
        Assert.True(JsonNode.Parse(message!.ToJsonString()) is JsonObject);
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"} {}", "not valid JSON")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}", "not valid JSON")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",}", "not valid JSON")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\" /* c */}", "not valid JSON")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":NaN,\"method\":\"ping\"}", "not valid JSON")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":Infinity,\"method\":\"ping\"}", "not valid JSON")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":01,\"method\":\"ping\"}", "not valid JSON")]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':'ping'}", "not valid JSON")]
    [InlineData("\uFEFF\uFEFF{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "not valid JSON")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "same member name twice")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"method\":\"tools/call\"}", "same member name twice")]
    public void TryParse_TrailingDataOrNonJson_IsAParseErrorSayingWhy(string body, string expected)
    {
        Assert.False(JsonRpc.TryParse(Encoding.UTF8.GetBytes(body), out _, out var error));

        Assert.Equal(JsonRpcErrorCodes.ParseError, (int)error["error"]!["code"]!);
        Assert.Contains(expected, (string)error["error"]!["message"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StrictJson.MaxDepth, true)]
    [InlineData(StrictJson.MaxDepth + 1, false)]
    public void TryParse_Nesting_BoundedAtMaxDepth(int depth, bool accepted)
    {
        var body = new string('[', depth) + new string(']', depth);

        Assert.Equal(accepted, StrictJson.TryParse(Encoding.UTF8.GetBytes(body), out _, out _));
    }

    [Fact]
    public void TryParse_ByteOrderMark_IsIgnored()
    {
        Assert.True(JsonRpc.TryParse([0xEF, 0xBB, 0xBF, .. "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"u8], out var message, out _));
        Assert.Equal("ping", JsonRpc.Method(message));
    }

    /// <summary>
    /// Random single-byte mutations of a real request: whatever is accepted must read back whole (every string,
    /// every number, the serialized form), which is what the pipeline does with it next.
    /// </summary>
    [Fact]
    public void TryParse_RandomByteMutations_NeverAcceptsWhatCannotBeReadBack()
    {
        var seed = """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"text":"caf\u00e9 \ud83d\ude00","n":[1,2.5e3,-0],"o":{"k":null,"t":true}}}}"""u8.ToArray();
        var replacements = new byte[] { (byte)'"', (byte)'\\', (byte)'u', (byte)'d', (byte)'8', (byte)'e', (byte)'9', (byte)'{', (byte)'}', (byte)',', (byte)':', 0xC3, 0xED, 0xFF, 0x00, 0x80 };
        var random = new Random(20260728);
        for (var round = 0; round < 20_000; round++)
        {
            var body = (byte[])seed.Clone();
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                body[random.Next(body.Length)] = replacements[random.Next(replacements.Length)];
            }

            if (JsonRpc.TryParse(body, out var message, out _))
            {
                ReadEverything(message);
                _ = message.ToJsonString();
            }
        }
    }

    private static TheoryData<string, int> Cases((string Name, byte[] Value, byte[] Key)[] fragments)
    {
        var data = new TheoryData<string, int>();
        foreach (var fragment in fragments)
        {
            for (var placement = 0; placement < Placements.Length; placement++)
            {
                data.Add(fragment.Name, placement);
            }
        }

        return data;
    }

    private static byte[] Body((string Name, byte[] Value, byte[] Key)[] fragments, string name, int placement)
    {
        var fragment = fragments.Single(f => f.Name == name);
        var template = Placements[placement];
        var (marker, bytes) = template.Contains("%V", StringComparison.Ordinal) ? ("%V", fragment.Value) : ("%K", fragment.Key);
        var at = template.IndexOf(marker, StringComparison.Ordinal);
        return [.. A(template[..at]), .. bytes, .. A(template[(at + 2)..])];
    }

    /// <summary>Reads every member name, string and number, as masking and the ledger's canonical form do.</summary>
    private static void ReadEverything(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    Assert.NotNull(name);
                    ReadEverything(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    ReadEverything(item);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                Assert.False(HasUnpairedSurrogate(value.GetValue<string>()));
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                Assert.True(double.IsFinite(value.GetValue<JsonElement>().GetDouble()));
                break;
        }
    }

    private static bool HasUnpairedSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static byte[] A(string text) => Encoding.UTF8.GetBytes(text);
}
