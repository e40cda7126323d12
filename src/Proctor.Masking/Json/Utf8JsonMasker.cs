using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Proctor.Masking.Json;

/// <summary>
/// Masks UTF-8 JSON token by token: no tree is built, the input is copied to the output in bulk up to
/// each value that changes, and a string is decoded to UTF-16 only if its bytes may hold a finding.
/// The output is the input with some values replaced; whitespace and escapes elsewhere are kept.
/// </summary>
internal static class Utf8JsonMasker
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };

    /// <summary>Masks a whole MCP message; its top-level JSON-RPC envelope members are left alone.</summary>
    public static void MaskMessage(ReadOnlySpan<byte> json, IBufferWriter<byte> output, MaskingSession session) =>
        Mask(json, output, session, new FieldTracker(session.Rules, FieldContext.None, atEnvelope: true));

    /// <summary>
    /// Masks JSON found inside a string value held by <paramref name="field"/>, which the JSON's top-level
    /// value inherits. Returns whether any value changed.
    /// </summary>
    public static bool MaskNested(ReadOnlySpan<byte> json, IBufferWriter<byte> output, MaskingSession session, FieldContext field) =>
        Mask(json, output, session, new FieldTracker(session.Rules, field, atEnvelope: false));

    /// <summary>Whether <see cref="MaskNested"/> can read <paramref name="json"/>: valid JSON within the same depth limit.</summary>
    public static bool IsValid(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            while (reader.Read()) { }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool Mask(ReadOnlySpan<byte> json, IBufferWriter<byte> output, MaskingSession session, FieldTracker fields)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        var splicer = new Splicer(json, output);
        var names = FieldNameCache.Rent();
        Dictionary<int, HashSet<string>>? taken = null;
        var chars = ArrayPool<char>.Shared.Rent(1024);
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject: fields.EnterObject((int)reader.TokenStartIndex); break;
                    case JsonTokenType.StartArray: fields.EnterArray(); break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray: fields.Leave(); break;
                    case JsonTokenType.PropertyName:
                        if (Name(json, ref reader, session, fields, names, ref chars) is { } maskedName)
                        {
                            splicer.Replace((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2, MemberNames.Claim(maskedName, Taken(json, fields.ObjectStart, ref taken)));
                        }

                        break;
                    case JsonTokenType.String:
                        if (MaskString(ref reader, session, fields.Current, ref chars) is { } masked)
                        {
                            splicer.Replace((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2, masked);
                        }

                        break;
                    case JsonTokenType.Number:
                        if (MaskNumber(ref reader, session, fields.Current, ref chars) is { } number)
                        {
                            splicer.Replace((int)reader.TokenStartIndex, reader.ValueSpan.Length, number);
                        }

                        break;
                }
            }
            return splicer.Finish();
        }
        finally
        {
            fields.Release();
            splicer.Dispose();
            names.Return();
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>
    /// Sets the context of the member just named and returns its masked name, or null when the name stays.
    /// A name is read with the context of the field holding its object (<c>"ssns": {"514241098": …}</c>).
    /// </summary>
    private static string? Name(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, MaskingSession session, FieldTracker fields, FieldNameCache names, ref char[] chars)
    {
        var cacheable = !reader.ValueIsEscaped && fields.ContextDependsOnNameOnly;
        var nameStart = (int)reader.TokenStartIndex + 1;
        var nameLength = reader.ValueSpan.Length;
        if (cacheable && names.TryGet(json, nameStart, nameLength, out var known))
        {
            fields.SetProperty(known.Context);
            if (known.Inert)
            {
                return null;
            }

            var context = fields.Names;
            return known.CleanUnder == context.Flags ? null : MaskCacheableName(json, ref reader, session, names, known, context, ref chars);
        }
        var inert = !reader.ValueIsEscaped && !session.MayChangeName(reader.ValueSpan);
        fields.SetProperty(Decode(ref reader, ref chars));
        if (!cacheable)
        {
            return inert ? null : session.MaskName(Decode(ref reader, ref chars), fields.Names);
        }

        var entry = new FieldNameCache.Entry(nameStart, nameLength, fields.Property, inert, null);
        names.Set(json, entry);
        return inert ? null : MaskCacheableName(json, ref reader, session, names, entry, fields.Names, ref chars);
    }

    /// <summary>Masks a name whose context is cached, and remembers when it was found clean.</summary>
    private static string? MaskCacheableName(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, MaskingSession session, FieldNameCache names, FieldNameCache.Entry entry, FieldContext context, ref char[] chars)
    {
        var found = session.Found;
        var masked = session.MaskName(Decode(ref reader, ref chars), context);
        if (session.Found == found)
        {
            names.Set(json, entry with { CleanUnder = context.Flags });
        }

        return masked;
    }

    private static string? MaskString(ref Utf8JsonReader reader, MaskingSession session, FieldContext field, ref char[] chars)
    {
        if (field.Skip)
        {
            return null;
        }
        // Escapes can spell any character (\u0031 is "1"), so only unescaped bytes can prove a string clean.
        if (!reader.ValueIsEscaped && !session.MayChange(reader.ValueSpan, field))
        {
            return null;
        }

        return session.Mask(Decode(ref reader, ref chars), field);
    }

    private static string? MaskNumber(ref Utf8JsonReader reader, MaskingSession session, FieldContext field, ref char[] chars) =>
        !field.Skip && (field.MayMaskNumber || JsonNumbers.MayBeCard(reader.ValueSpan)) ? session.Mask(Decode(ref reader, ref chars), field) : null;

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

    /// <summary>
    /// The names of the object starting at <paramref name="start"/> as written, read once from there when
    /// one of its names is first masked (<see cref="MemberNames"/>); objects are told apart by where they start.
    /// </summary>
    private static HashSet<string> Taken(ReadOnlySpan<byte> json, int start, ref Dictionary<int, HashSet<string>>? taken)
    {
        taken ??= [];
        if (taken.TryGetValue(start, out var names))
        {
            return names;
        }

        names = new HashSet<string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json[start..], ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            names.Add(reader.GetString()!);
            reader.Skip();
        }
        taken[start] = names;
        return names;
    }

    /// <summary>Writes the input's unchanged bytes in bulk, and each masked value as a JSON string in place of its token.</summary>
    private ref struct Splicer(ReadOnlySpan<byte> json, IBufferWriter<byte> output)
    {
        private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };
        private readonly ReadOnlySpan<byte> _json = json;
        private Utf8JsonWriter? _writer;
        private int _copied;

        /// <summary>Copies the input up to the token at <paramref name="start"/> and writes <paramref name="value"/> instead of the token.</summary>
        public void Replace(int start, int length, string value)
        {
            Copy(_json[_copied..start]);
            _copied = start + length;
            if (_writer is null)
            {
                _writer = new Utf8JsonWriter(output, WriterOptions);
            }
            else
            {
                _writer.Reset(output);
            }

            _writer.WriteStringValue(value);
            _writer.Flush();
        }

        /// <summary>Copies the rest of the input; returns whether any value was replaced.</summary>
        public bool Finish()
        {
            var replaced = _writer is not null;
            Copy(_json[_copied..]);
            _copied = _json.Length;
            return replaced;
        }

        public readonly void Dispose() => _writer?.Dispose();

        private readonly void Copy(ReadOnlySpan<byte> bytes)
        {
            if (bytes.IsEmpty)
            {
                return;
            }

            bytes.CopyTo(output.GetSpan(bytes.Length));
            output.Advance(bytes.Length);
        }
    }
}
