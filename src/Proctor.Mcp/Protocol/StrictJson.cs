using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Proctor.Mcp.Protocol;

/// <summary>
/// Parses JSON as RFC 7493 (I-JSON) asks of a protocol: UTF-8 only and no unpaired surrogates (§2.1),
/// numbers a double can hold (§2.2), no member name twice in one object (§2.3). Everything the gateway
/// does with a message afterwards needs that: masking reads every string, the ledger writes the RFC 8785
/// canonical form (numbers as doubles), relaying re-serializes. System.Text.Json accepts such text and
/// fails only when the bad value is read, so before this check a hostile body became a 500 or a fault
/// deep in the pipeline instead of a parse error at the door.
/// </summary>
public static class StrictJson
{
    /// <summary>MCP messages nest a few levels (params, arguments, a schema); 128 bounds recursion far above any of them.</summary>
    public const int MaxDepth = 128;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <summary>Parses one JSON value; on failure <paramref name="problem"/> says what is wrong, for the sender, without quoting the input.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out JsonNode? node, out string? problem)
    {
        node = null;

        // RFC 8259 §8.1: senders must not add a byte order mark, parsers may ignore one; ignoring it costs nothing.
        if (utf8.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }

        if (!Utf8.IsValid(utf8))
        {
            problem = "the body is not valid UTF-8 (RFC 8259 §8.1)";
            return false;
        }

        problem = Scan(utf8);
        if (problem is not null)
        {
            return false;
        }

        try
        {
            node = JsonNode.Parse(utf8, documentOptions: DocumentOptions);
            return true;
        }
        catch (JsonException)
        {
            // The scan above accepted the syntax, so the document refused a repeated member name.
            problem = "an object has the same member name twice (RFC 7493 §2.3), so its meaning is ambiguous; send each member once";
            return false;
        }
    }

    /// <summary>One forward pass: syntax and depth, numbers, and the escaped strings that could hide an unpaired surrogate.</summary>
    private static string? Scan(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.Number && (!reader.TryGetDouble(out var number) || !double.IsFinite(number)))
                {
                    return "a number is larger than a double can hold (RFC 7493 §2.2)";
                }

                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped && !UnescapesToValidText(ref reader))
                {
                    return "a string escapes an unpaired UTF-16 surrogate (RFC 7493 §2.1), which is not text";
                }
            }

            return null;
        }
        catch (JsonException ex)
        {
            return $"the body is not valid JSON ({ex.Message})";
        }
    }

    private static bool UnescapesToValidText(ref Utf8JsonReader reader)
    {
        // Unescaping never lengthens: every escape is at least as many bytes as the chars it stands for.
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(length, 1));
        try
        {
            reader.CopyString(buffer);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
