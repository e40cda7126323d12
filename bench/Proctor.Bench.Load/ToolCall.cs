using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Proctor.Bench.Load;

/// <summary>
/// The request every call of a target sends (a tools/call, or ping for the analysis target) and the
/// check its answer must pass: for a tools/call, a text block carrying exactly the expected text.
/// </summary>
internal sealed class ToolCall
{
    private readonly byte[] _prefix = """{"jsonrpc":"2.0","id":"""u8.ToArray();
    private readonly byte[] _suffix;

    public ToolCall(string tool, string argumentsJson, string expectedText)
        : this(Encoding.UTF8.GetBytes($$$""","method":"tools/call","params":{"name":{{{JsonSerializer.Serialize(tool)}}},"arguments":{{{argumentsJson}}}}}"""), expectedText)
    {
    }

    private ToolCall(byte[] suffix, string? expectedText)
    {
        _suffix = suffix;
        ExpectedText = expectedText;
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

    /// <summary>The request with JSON-RPC id <paramref name="id"/>, without a line break.</summary>
    public byte[] Request(long id)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(id, digits, out var written);
        var body = new byte[_prefix.Length + written + _suffix.Length];
        _prefix.CopyTo(body, 0);
        digits[..written].CopyTo(body.AsSpan(_prefix.Length));
        _suffix.CopyTo(body, _prefix.Length + written);
        return body;
    }

    /// <summary>null when <paramref name="message"/> is a successful answer with the expected text, else why not.</summary>
    public string? Check(JsonElement message)
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

        if (result.TryGetProperty("content", out var content)
            && content.ValueKind == JsonValueKind.Array
            && content.GetArrayLength() > 0
            && content[0].TryGetProperty("text", out var text)
            && text.ValueKind == JsonValueKind.String
            && text.ValueEquals(ExpectedText))
        {
            return null;
        }

        return $"unexpected result {Truncate(result.GetRawText())}";
    }

    public static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
