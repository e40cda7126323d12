using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Proctor.Masking.Json;

/// <summary>
/// Masks UTF-8 JSON token by token from a reader to a writer: no tree is built, strings that need no
/// change are copied as their original bytes, and only one string at a time is decoded to UTF-16.
/// </summary>
internal static class Utf8JsonMasker
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };
    private const int StackNameBytes = 256;

    public static void Mask(ReadOnlySpan<byte> json, IBufferWriter<byte> output, MaskingSession session, bool atEnvelope)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        var fields = new FieldTracker(session.Rules, atEnvelope);
        var chars = ArrayPool<char>.Shared.Rent(1024);
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject: fields.EnterObject(); writer.WriteStartObject(); break;
                    case JsonTokenType.EndObject: fields.Leave(); writer.WriteEndObject(); break;
                    case JsonTokenType.StartArray: fields.EnterArray(); writer.WriteStartArray(); break;
                    case JsonTokenType.EndArray: fields.Leave(); writer.WriteEndArray(); break;
                    case JsonTokenType.PropertyName: WriteName(ref reader, writer, fields, ref chars); break;
                    case JsonTokenType.String: WriteString(json, ref reader, writer, session, fields.Current, ref chars); break;
                    case JsonTokenType.Number: WriteNumber(ref reader, writer, session, fields.Current, ref chars); break;
                    case JsonTokenType.True: writer.WriteBooleanValue(true); break;
                    case JsonTokenType.False: writer.WriteBooleanValue(false); break;
                    case JsonTokenType.Null: writer.WriteNullValue(); break;
                }
            }
            writer.Flush();
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static void WriteName(ref Utf8JsonReader reader, Utf8JsonWriter writer, FieldTracker fields, ref char[] chars)
    {
        var name = Decode(ref reader, ref chars);
        fields.SetProperty(name);
        if (!reader.ValueIsEscaped)
        {
            writer.WritePropertyName(reader.ValueSpan);
            return;
        }
        writer.WritePropertyName(name);
    }

    private static void WriteString(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, Utf8JsonWriter writer, MaskingSession session, FieldContext field, ref char[] chars)
    {
        var masked = field.Skip ? null : session.Mask(Decode(ref reader, ref chars), field);
        if (masked is not null)
        {
            writer.WriteStringValue(masked);
            return;
        }
        // The original token, quotes and escapes included, is already valid JSON.
        writer.WriteRawValue(json.Slice((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2), skipInputValidation: true);
    }

    private static void WriteNumber(ref Utf8JsonReader reader, Utf8JsonWriter writer, MaskingSession session, FieldContext field, ref char[] chars)
    {
        var masked = field.MayMaskNumber && !field.Skip ? session.Mask(Decode(ref reader, ref chars), field) : null;
        if (masked is not null) writer.WriteStringValue(masked);
        else writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
    }

    private static ReadOnlySpan<char> Decode(ref Utf8JsonReader reader, ref char[] chars)
    {
        var raw = reader.ValueSpan;
        if (chars.Length < raw.Length)
        {
            ArrayPool<char>.Shared.Return(chars);
            chars = ArrayPool<char>.Shared.Rent(raw.Length);
        }
        var length = reader.ValueIsEscaped ? reader.CopyString(chars) : Encoding.UTF8.GetChars(raw, chars);
        return chars.AsSpan(0, length);
    }
}
