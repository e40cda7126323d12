using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Proctor.Ledger.Canonical;

namespace Proctor.Ledger.Events;

/// <summary>The canonical bytes of an event: snake_case names, nulls omitted, times as UTC milliseconds, then RFC 8785.</summary>
public static class EventJson
{
    // The canonicalizer copies strings without escapes as they are, so the serializer escapes no more than JSON requires
    // (its default escapes non-ASCII and HTML characters, which canonical form then has to decode again).
    private static readonly JsonSerializerOptions SerializeOptions = new(EventJsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonTypeInfo<LedgerEvent> SerializeEvent = (JsonTypeInfo<LedgerEvent>)SerializeOptions.GetTypeInfo(typeof(LedgerEvent));

    public static byte[] Canonical(LedgerEvent ledgerEvent)
    {
        using var document = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(ledgerEvent, SerializeEvent));
        return JsonCanonicalizer.Canonicalize(document.RootElement);
    }

    public static LedgerEvent Parse(ReadOnlySpan<byte> canonicalEvent) =>
        JsonSerializer.Deserialize(canonicalEvent, EventJsonContext.Default.LedgerEvent)
        ?? throw new FormatException("The stored event is the JSON literal null.");
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcMillisecondsConverter)])]
[JsonSerializable(typeof(LedgerEvent))]
internal sealed partial class EventJsonContext : JsonSerializerContext;

/// <summary>"2026-11-24T17:28:52.123Z": one spelling per instant, so the same event always hashes the same.</summary>
internal sealed class UtcMillisecondsConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
}
