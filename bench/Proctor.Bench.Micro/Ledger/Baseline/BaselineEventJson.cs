using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Proctor.Ledger.Canonical;
using Proctor.Ledger.Events;

namespace Proctor.Bench.Micro.Ledger.Baseline;

/// <summary>Canonical JSON as it was made before the one-pass writer (commit ea90fbc): serialize, parse, canonicalize.</summary>
internal static class BaselineEventJson
{
    private static readonly JsonTypeInfo<LedgerEvent> Serialize = (JsonTypeInfo<LedgerEvent>)new JsonSerializerOptions(BaselineJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }.GetTypeInfo(typeof(LedgerEvent));

    public static byte[] Canonical(LedgerEvent ledgerEvent)
    {
        using var document = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(ledgerEvent, Serialize));
        return JsonCanonicalizer.Canonicalize(document.RootElement);
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(BaselineUtcMilliseconds)])]
[JsonSerializable(typeof(LedgerEvent))]
internal sealed partial class BaselineJsonContext : JsonSerializerContext;

internal sealed class BaselineUtcMilliseconds : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
}
