using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Proctor.Ledger.Canonical;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme. Hand-written because no well-kept .NET library implements
/// it, and the ledger's leaf hashes depend on every byte: the rules are short (RFC 8785 §3.2) and
/// pinned by tests against the RFC's examples.
/// </summary>
/// <remarks>
/// Every append goes through here, so the common case copies the parsed text's own UTF-8 instead of decoding it:
/// a string without a backslash is already in canonical form (JSON forbids raw quotes and control characters in
/// strings, so only an escape can make it differ), and ASCII names without escapes sort by their bytes exactly as
/// by their UTF-16 code units. Anything else takes the decoding path.
/// </remarks>
public static class JsonCanonicalizer
{
    // Reused per thread: appends canonicalize on the callers' threads.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_output;

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
        var output = ScratchBuffer.Reuse(ref t_output);
        Write(element, output);
        return output.WrittenSpan.ToArray();
    }

    internal static void Write(JsonElement element, IBufferWriter<byte> output)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object: WriteObject(element, output); break;
            case JsonValueKind.Array: WriteArray(element, output); break;
            case JsonValueKind.String: WriteString(element, output); break;
            case JsonValueKind.Number: WriteNumber(element, output); break;
            case JsonValueKind.True: WriteAscii("true"u8, output); break;
            case JsonValueKind.False: WriteAscii("false"u8, output); break;
            case JsonValueKind.Null: WriteAscii("null"u8, output); break;
            default: throw new FormatException($"JSON value kind {element.ValueKind} cannot be canonicalized.");
        }
    }

    private static void WriteObject(JsonElement element, IBufferWriter<byte> output)
    {
        var rented = ArrayPool<JsonProperty>.Shared.Rent(16);
        try
        {
            var count = 0;
            var plainNames = true;
            foreach (var property in element.EnumerateObject())
            {
                if (count == rented.Length)
                {
                    var larger = ArrayPool<JsonProperty>.Shared.Rent(count * 2);
                    rented.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<JsonProperty>.Shared.Return(rented, clearArray: true);
                    rented = larger;
                }
                rented[count++] = property;
                plainNames &= IsPlainAscii(JsonMarshal.GetRawUtf8PropertyName(property));
            }
            var properties = rented.AsSpan(0, count);
            // RFC 8785 §3.2.3: names sorted by their UTF-16 code units, which is what ordinal comparison of .NET strings does.
            if (plainNames)
            {
                properties.Sort(static (a, b) => JsonMarshal.GetRawUtf8PropertyName(a).SequenceCompareTo(JsonMarshal.GetRawUtf8PropertyName(b)));
            }
            else
            {
                properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            }
            WriteAscii("{"u8, output);
            for (var i = 0; i < properties.Length; i++)
            {
                if (i > 0)
                {
                    if (plainNames
                        ? JsonMarshal.GetRawUtf8PropertyName(properties[i]).SequenceEqual(JsonMarshal.GetRawUtf8PropertyName(properties[i - 1]))
                        : properties[i].Name == properties[i - 1].Name)
                    {
                        throw new FormatException($"Duplicate property name \"{properties[i].Name}\": I-JSON (RFC 7493) forbids it, so it has no canonical form.");
                    }
                    WriteAscii(","u8, output);
                }
                if (plainNames)
                {
                    WriteQuoted(JsonMarshal.GetRawUtf8PropertyName(properties[i]), output);
                }
                else
                {
                    WriteString(properties[i].Name, output);
                }
                WriteAscii(":"u8, output);
                Write(properties[i].Value, output);
            }
            WriteAscii("}"u8, output);
        }
        finally
        {
            ArrayPool<JsonProperty>.Shared.Return(rented, clearArray: true);
        }
    }

    private static void WriteArray(JsonElement element, IBufferWriter<byte> output)
    {
        WriteAscii("["u8, output);
        var first = true;
        foreach (var item in element.EnumerateArray())
        {
            if (!first)
            {
                WriteAscii(","u8, output);
            }
            first = false;
            Write(item, output);
        }
        WriteAscii("]"u8, output);
    }

    private static void WriteNumber(JsonElement element, IBufferWriter<byte> output)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        if (IsEcmaScriptSpelling(raw))
        {
            WriteAscii(raw, output);
            return;
        }
        WriteAscii(Encoding.ASCII.GetBytes(EcmaScriptNumber.Format(element.GetDouble())), output);
    }

    /// <summary>
    /// True for the plain decimals ECMAScript prints as they are: no exponent, at most 15 significant digits (so the
    /// text is the shortest that round-trips: 15 digits always do, and two such texts never name the same double), no
    /// trailing fraction zero, fewer than 6 zeros after "0.", and not -0. JSON's grammar already rules out leading zeros.
    /// </summary>
    private static bool IsEcmaScriptSpelling(ReadOnlySpan<byte> raw)
    {
        const int MaxSignificantDigits = 15;
        var body = raw[0] == (byte)'-' ? raw[1..] : raw;
        if (body.IndexOfAny((byte)'e', (byte)'E') >= 0)
        {
            return false;
        }
        var dot = body.IndexOf((byte)'.');
        if (dot < 0)
        {
            return body.Length <= MaxSignificantDigits && !(body.Length == 1 && body[0] == (byte)'0' && body.Length != raw.Length);
        }
        if (body[^1] == (byte)'0')
        {
            return false;
        }
        if (dot == 1 && body[0] == (byte)'0')
        {
            var fraction = body[2..];
            var zeros = fraction.IndexOfAnyExcept((byte)'0');
            return zeros < 6 && fraction.Length - zeros <= MaxSignificantDigits;
        }
        return body.Length - 1 <= MaxSignificantDigits;
    }

    private static void WriteString(JsonElement element, IBufferWriter<byte> output)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        if (raw.IndexOf((byte)'\\') < 0 && Utf8.IsValid(raw))
        {
            WriteAscii(raw, output); // the quotes and the text as they were: nothing in them needs escaping
            return;
        }
        WriteString(element.GetString()!, output);
    }

    /// <summary>Printable ASCII other than the quote and the backslash: the bytes are the canonical text and its UTF-16 order.</summary>
    private static bool IsPlainAscii(ReadOnlySpan<byte> name) =>
        !name.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E) && name.IndexOfAny((byte)'"', (byte)'\\') < 0;

    private static void WriteQuoted(ReadOnlySpan<byte> plain, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(plain.Length + 2);
        span[0] = (byte)'"';
        plain.CopyTo(span[1..]);
        span[plain.Length + 1] = (byte)'"';
        output.Advance(plain.Length + 2);
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

    private static void WriteAscii(ReadOnlySpan<byte> text, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(text.Length);
        text.CopyTo(span);
        output.Advance(text.Length);
    }
}
