using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Failures;

/// <summary>
/// Hostile bodies and headers against the real gateway, sent byte for byte: an ambiguous or non-text body is a
/// JSON-RPC parse or invalid-request error (HTTP 400), never a 500 or a fault inside the pipeline; every header
/// in every state gets an answer below 500 without a stack trace; and the gateway keeps serving afterwards.
/// </summary>
public sealed class HostileRequestTests(HostileRequestTests.Gateway fixture) : IClassFixture<HostileRequestTests.Gateway>
{
    private const string Call = """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"message":%V}}}""";

    private const string ModernCall = """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"message":%V},""" + RawMcp.ModernMeta + "}}";

    private Uri Endpoint => fixture.Under.Mcp("everything");

    /// <summary>Each hostile fragment in the arguments, in params, at the top level and as the id; and bodies that are not one message.</summary>
    public static TheoryData<string, byte[]> HostileBodies()
    {
        var data = new TheoryData<string, byte[]>();
        var fragments = new (string Name, byte[] Bytes)[]
        {
            ("duplicate member", Bytes("{\"a\":1,\"a\":2}")),
            ("duplicate spelt with an escape", Bytes("{\"a\":1,\"\\u0061\":2}")),
            ("unpaired high surrogate", Bytes("\"\\ud800\"")),
            ("unpaired low surrogate", Bytes("\"x\\udfff\"")),
            ("invalid UTF-8", [.. Bytes("\""), 0xFF, 0xFE, .. Bytes("\"")]),
            ("overlong UTF-8", [.. Bytes("\""), 0xC0, 0xAF, .. Bytes("\"")]),
            ("surrogate in UTF-8", [.. Bytes("\""), 0xED, 0xB0, 0x80, .. Bytes("\"")]),
            ("number beyond double", Bytes("1e400")),
            ("deep nesting", Bytes(new string('[', 5000) + new string(']', 5000))),
        };
        foreach (var (name, bytes) in fragments)
        {
            data.Add($"{name} in arguments", Splice(Call, bytes));
            data.Add($"{name} as the id", Splice("""{"jsonrpc":"2.0","id":%V,"method":"tools/list"}""", bytes));
            data.Add($"{name} in params", Splice("""{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":%V}}""", bytes));
        }

        data.Add("method twice", Bytes("""{"jsonrpc":"2.0","id":1,"method":"tools/list","method":"tools/call","params":{"name":"echo"}}"""));
        data.Add("id twice", Bytes("""{"jsonrpc":"2.0","id":1,"id":2,"method":"tools/list"}"""));
        data.Add("jsonrpc twice", Bytes("""{"jsonrpc":"1.0","jsonrpc":"2.0","id":1,"method":"tools/list"}"""));
        data.Add("trailing data", Bytes("""{"jsonrpc":"2.0","id":1,"method":"tools/list"} x"""));
        data.Add("two messages", Bytes("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}{"jsonrpc":"2.0","id":2,"method":"tools/list"}"""));
        data.Add("two BOMs", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. Bytes("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""")]);
        data.Add("UTF-16 body", Encoding.Unicode.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}"""));
        data.Add("NUL byte", [.. Bytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\""), 0x00, .. Bytes("}")]);
        data.Add("empty", []);
        data.Add("whitespace", Bytes(" \r\n\t "));
        data.Add("number", Bytes("42"));
        data.Add("string", Bytes("\"tools/list\""));
        data.Add("null", Bytes("null"));
        data.Add("true", Bytes("true"));
        data.Add("empty array", Bytes("[]"));
        data.Add("array of messages", Bytes("""[{"jsonrpc":"2.0","id":1,"method":"tools/list"}]"""));
        return data;
    }

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task HostileBody_EachEra_400WithAJsonRpcParseOrInvalidRequestError(string name, byte[] body)
    {
        foreach (var headers in new[] { await fixture.SessionHeadersAsync(), Modern() })
        {
            var (status, head, text) = await RawHttp.PostAsync(Endpoint, headers, body);

            Assert.True(status == 400, $"{name}: {status}\n{head}\n{text}");
            var error = JsonNode.Parse(text)!["error"]!;
            Assert.Contains((int)error["code"]!, new[] { -32700, -32600 });
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        }

        await AssertStillServingAsync();
    }

    [Fact]
    public async Task ByteOrderMarkBeforeAValidMessage_Accepted()
    {
        var (status, _, text) = await RawHttp.PostAsync(Endpoint, await fixture.SessionHeadersAsync(), [0xEF, 0xBB, 0xBF, .. Splice(Call, Bytes("\"with a BOM\""))]);

        Assert.Equal(200, status);
        Assert.Contains("with a BOM", text, StringComparison.Ordinal);
    }

    /// <summary>Every request header in every hostile state; the message itself is a good tools/call.</summary>
    [Fact]
    public async Task EveryHeaderInEveryState_AnsweredBelow500WithoutAStackTrace()
    {
        var names = new[] { "Mcp-Session-Id", "MCP-Protocol-Version", "Mcp-Method", "Mcp-Name", "Mcp-Param-Message", "Content-Type", "Accept", "Origin", "Last-Event-ID", "Authorization", "Cookie", "X-Forwarded-For" };
        var states = new (string Name, byte[] Value)[]
        {
            ("empty", []),
            ("spaces", Bytes("   ")),
            ("long", Bytes(new string('a', 8000))),
            ("comma list", Bytes("a, b, c")),
            ("quoted", Bytes("\"2026-07-28\"")),
            ("version", Bytes("2026-07-28")),
            ("old version", Bytes("2024-11-05")),
            ("method name", Bytes("tools/call")),
            ("non-ASCII bytes", [0xC3, 0xA9, 0xE4, 0xB8, 0xAD]),
            ("Latin-1 byte", [0xE9]),
            ("DEL", [0x61, 0x7F, 0x62]),
            ("NUL", [0x61, 0x00, 0x62]),
            ("escape sequence", [0x1B, .. Bytes("[31m")]),
            ("base64 unicode", Bytes("=?base64?" + Convert.ToBase64String(Encoding.UTF8.GetBytes("\u00e9\u4e2d")) + "?=")),
            ("null origin", Bytes("null")),
        };
        var failures = new List<string>();
        foreach (var (era, baseline, body) in new[] { ("session", await fixture.SessionHeadersAsync(), Splice(Call, Bytes("\"headers\""))), ("2026-07-28", Modern(), Splice(ModernCall, Bytes("\"headers\""))) })
        {
            foreach (var name in names)
            {
                foreach (var (state, value) in states)
                {
                    foreach (var twice in new[] { false, true })
                    {
                        var line = (byte[])[.. Bytes($"{name}: "), .. value];
                        var lines = baseline.Where(l => !Encoding.ASCII.GetString(l).StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)).Append(line).ToList();
                        if (twice)
                        {
                            lines.Add(line);
                        }

                        var (status, head, text) = await RawHttp.PostAsync(Endpoint, lines, body);
                        if (status is 0 or >= 500 || text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal))
                        {
                            failures.Add($"{era} {name} {state}{(twice ? " twice" : "")}: {status} {head.Split("\r\n")[0]} {text[..Math.Min(text.Length, 300)]}");
                        }
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        await AssertStillServingAsync();
    }

    private async Task AssertStillServingAsync()
    {
        var (status, _, text) = await RawHttp.PostAsync(Endpoint, await fixture.SessionHeadersAsync(), Splice(Call, Bytes("\"still serving\"")));

        Assert.Equal(200, status);
        Assert.Contains("still serving", text, StringComparison.Ordinal);
    }

    private static List<byte[]> Modern() =>
    [
        Bytes("Content-Type: application/json"),
        Bytes("Accept: application/json, text/event-stream"),
        Bytes("MCP-Protocol-Version: 2026-07-28"),
        Bytes("Mcp-Method: tools/call"),
        Bytes("Mcp-Name: echo"),
    ];

    private static byte[] Splice(string template, byte[] value)
    {
        var at = template.IndexOf("%V", StringComparison.Ordinal);
        return [.. Bytes(template[..at]), .. value, .. Bytes(template[(at + 2)..])];
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A gateway of its own in front of server-everything, and one session-era session on it.</summary>
    public sealed class Gateway : IAsyncLifetime
    {
        private string? _session;

        internal GatewayUnderTest Under { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Peers.RequireInstalled();
            Under = await GatewayUnderTest.StartAsync($$"""
                  everything:
                    command: "node"
                    args: ["{{Peers.EverythingServer}}", "stdio"]
                """);
        }

        internal async Task<List<byte[]>> SessionHeadersAsync()
        {
            _session ??= await RawMcp.InitializeAsync(Under.Mcp("everything"));
            return
            [
                Bytes("Content-Type: application/json"),
                Bytes("Accept: application/json, text/event-stream"),
                Bytes($"Mcp-Session-Id: {_session}"),
            ];
        }

        public async Task DisposeAsync() => await Under.DisposeAsync();
    }
}
