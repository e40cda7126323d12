using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Proctor.Ledger.Canonical;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme. Hand-written because no well-kept .NET library implements
/// it, and the ledger's leaf hashes depend on every byte: the rules are short (RFC 8785 §3.2) and
/// pinned by tests against the RFC's examples.
/// </summary>
public static class JsonCanonicalizer
{
    /// <summary>Canonical bytes of one UTF-8 JSON text. Throws <see cref="FormatException"/> for
    /// JSON that is not I-JSON (duplicate names, lone surrogates, non-finite numbers).</summary>
    public static byte[] Canonicalize(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        using var document = JsonDocument.ParseValue(ref reader);
        return Canonicalize(document.RootElement);
    }

    public static byte[] Canonicalize(JsonElement element)
    {
        var output = new ArrayBufferWriter<byte>(1024);
        Write(element, output);
        return output.WrittenSpan.ToArray();
    }

    internal static void Write(JsonElement element, IBufferWriter<byte> output)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object: WriteObject(element, output); break;
            case JsonValueKind.Array: WriteArray(element, output); break;
            case JsonValueKind.String: WriteString(element.GetString()!, output); break;
            case JsonValueKind.Number: WriteNumber(element, output); break;
            case JsonValueKind.True: WriteAscii("true", output); break;
            case JsonValueKind.False: WriteAscii("false", output); break;
            case JsonValueKind.Null: WriteAscii("null", output); break;
            default: throw new FormatException($"JSON value kind {element.ValueKind} cannot be canonicalized.");
        }
    }

    private static void WriteObject(JsonElement element, IBufferWriter<byte> output)
    {
        var properties = new List<JsonProperty>();
        foreach (var property in element.EnumerateObject())
        {
            properties.Add(property);
        }
        // RFC 8785 §3.2.3: names sorted by their UTF-16 code units, which is what ordinal comparison of .NET strings does.
        properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        WriteAscii("{", output);
        for (var i = 0; i < properties.Count; i++)
        {
            if (i > 0)
            {
                if (properties[i].Name == properties[i - 1].Name)
                {
                    throw new FormatException($"Duplicate property name \"{properties[i].Name}\": I-JSON (RFC 7493) forbids it, so it has no canonical form.");
                }
                WriteAscii(",", output);
            }
            WriteString(properties[i].Name, output);
            WriteAscii(":", output);
            Write(properties[i].Value, output);
        }
        WriteAscii("}", output);
    }

    private static void WriteArray(JsonElement element, IBufferWriter<byte> output)
    {
        WriteAscii("[", output);
        var first = true;
        foreach (var item in element.EnumerateArray())
        {
            if (!first)
            {
                WriteAscii(",", output);
            }
            first = false;
            Write(item, output);
        }
        WriteAscii("]", output);
    }

    // Integers within ±2^53 are exact doubles whose ECMAScript spelling is their plain decimal digits:
    // skipping the double round trip makes the common case (sizes, counts, codes) several times cheaper.
    private static void WriteNumber(JsonElement element, IBufferWriter<byte> output)
    {
        const long SafeInteger = 1L << 53;
        if (element.TryGetInt64(out var integer) && integer > -SafeInteger && integer < SafeInteger)
        {
            var span = output.GetSpan(20);
            integer.TryFormat(span, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
            output.Advance(written);
            return;
        }
        WriteAscii(EcmaScriptNumber.Format(element.GetDouble()), output);
    }

    internal static void WriteString(string value, IBufferWriter<byte> output)
    {
        if (!NeedsEscaping(value))
        {
            var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length) + 2);
            span[0] = (byte)'"';
            var length = Encoding.UTF8.GetBytes(value, span[1..]);
            span[length + 1] = (byte)'"';
            output.Advance(length + 2);
            return;
        }
        WriteEscapedString(value, output);
    }

    private static bool NeedsEscaping(string value)
    {
        foreach (var c in value)
        {
            if (c < 0x20 || c == '"' || c == '\\' || char.IsSurrogate(c))
            {
                return true;
            }
        }
        return false;
    }

    private static void WriteEscapedString(string value, IBufferWriter<byte> output)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4"));
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        builder.Append(c).Append(value[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        throw new FormatException($"Lone surrogate U+{(int)c:X4} at position {i}: I-JSON strings must be valid Unicode.");
                    }
                    else
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        builder.Append('"');
        var text = builder.ToString();
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private static void WriteAscii(string text, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }
        output.Advance(text.Length);
    }
}
