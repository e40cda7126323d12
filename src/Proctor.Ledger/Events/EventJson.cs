using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Proctor.Ledger.Canonical;

namespace Proctor.Ledger.Events;

/// <summary>The canonical bytes of an event: snake_case names, nulls omitted, times as UTC milliseconds, then RFC 8785.</summary>
public static class EventJson
{
    // Reused per thread: appends canonicalize on the callers' threads.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_output;

    /// <summary>The event's RFC 8785 bytes, written in one pass (<see cref="CanonicalEventWriter"/>).</summary>
    public static byte[] Canonical(LedgerEvent ledgerEvent) => Write(ledgerEvent).ToArray();

    /// <summary>
    /// <see cref="Canonical"/> in this thread's buffer (<see cref="ScratchBuffer"/>), without a copy: valid until the
    /// thread writes the next event.
    /// </summary>
    internal static ReadOnlySpan<byte> Write(LedgerEvent ledgerEvent)
    {
        var output = ScratchBuffer.Reuse(ref t_output);
        CanonicalEventWriter.Write(ledgerEvent, output);
        return output.WrittenSpan;
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
