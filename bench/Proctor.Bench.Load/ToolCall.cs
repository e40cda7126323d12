using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Proctor.Bench.Load;

/// <summary>
/// The request every call of a target sends (a tools/call, or ping for the analysis target) and the
/// check its answer must pass: for a tools/call, a text block carrying exactly the expected text, which
/// for <see cref="Region"/> is the call's own (its id), so that an answer delivered to another call shows
/// even when it carries that call's id.
/// </summary>
internal sealed class ToolCall
{
    private readonly byte[] _prefix = """{"jsonrpc":"2.0","id":"""u8.ToArray();
    private readonly byte[] _suffix;

    /// <summary>For a call whose argument holds its id a second time: <c>_suffix</c> ends before it, this follows it.</summary>
    private readonly byte[]? _afterArgumentId;

    public ToolCall(string tool, string argumentsJson, string expectedText)
        : this(Encoding.UTF8.GetBytes($$$""","method":"tools/call","params":{"name":{{{JsonSerializer.Serialize(tool)}}},"arguments":{{{argumentsJson}}}}}"""), expectedText)
    {
    }

    private ToolCall(byte[] suffix, string? expectedText, byte[]? afterArgumentId = null)
    {
        _suffix = suffix;
        ExpectedText = expectedText;
        _afterArgumentId = afterArgumentId;
    }

    /// <summary>null for ping, whose answer is an empty result.</summary>
    public string? ExpectedText { get; }

    /// <summary>ping: answered by the gateway itself on the aggregated endpoint /mcp.</summary>
    public static ToolCall Ping() => new(""","method":"ping"}"""u8.ToArray(), null);

    /// <summary>echo with a text argument of <paramref name="length"/> ASCII characters.</summary>
    public static ToolCall Echo(int length)
    {
        var text = string.Create(length, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + (i % 26));
            }
        });
        return new ToolCall("echo", JsonSerializer.Serialize(new { text }), text);
    }

    /// <summary>The conformance fixture's test_simple_text, which takes no arguments.</summary>
    public static ToolCall SimpleText() => new("test_simple_text", "{}", "This is a simple text response for testing.");

    /// <summary>
    /// The conformance fixture's test_header_parameter, which answers "Routed to region '…'." with its argument: each
    /// call's region is "r" and its id. Session-era callers only: a 2026-07-28 call must mirror the region in a header.
    /// </summary>
    public static ToolCall Region() =>
        new(""","method":"tools/call","params":{"name":"test_header_parameter","arguments":{"region":"r"""u8.ToArray(), "Routed to region 'r{0}'.", "\"}}}"u8.ToArray());

    /// <summary>The request with JSON-RPC id <paramref name="id"/>, without a line break.</summary>
    public byte[] Request(long id)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(id, digits, out var written);
        var again = _afterArgumentId is null ? 0 : written + _afterArgumentId.Length;
        var body = new byte[_prefix.Length + written + _suffix.Length + again];
        _prefix.CopyTo(body, 0);
        digits[..written].CopyTo(body.AsSpan(_prefix.Length));
        _suffix.CopyTo(body, _prefix.Length + written);
        if (_afterArgumentId is not null)
        {
            var at = _prefix.Length + written + _suffix.Length;
            digits[..written].CopyTo(body.AsSpan(at));
            _afterArgumentId.CopyTo(body, at + written);
        }

        return body;
    }

    /// <summary>null when <paramref name="message"/> is a successful answer to call <paramref name="id"/> with the expected text, else why not.</summary>
    public string? Check(JsonElement message, long id)
    {
        if (message.TryGetProperty("error", out var error))
        {
            return $"JSON-RPC error {error.GetRawText()}";
        }

        if (!message.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object)
        {
            return "answer without result";
        }

        if (result.TryGetProperty("isError", out var isError) && isError.ValueKind == JsonValueKind.True)
        {
            return $"tool error {result.GetRawText()}";
        }

        if (ExpectedText is null)
        {
            return null;
        }

        var expected = _afterArgumentId is null ? ExpectedText : string.Format(System.Globalization.CultureInfo.InvariantCulture, ExpectedText, id);
        if (result.TryGetProperty("content", out var content)
            && content.ValueKind == JsonValueKind.Array
            && content.GetArrayLength() > 0
            && content[0].TryGetProperty("text", out var text)
            && text.ValueKind == JsonValueKind.String
            && text.ValueEquals(expected))
        {
            return null;
        }

        return $"unexpected result {Truncate(result.GetRawText())}";
    }

    public static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
