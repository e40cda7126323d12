using System.Text.Json;

namespace Proctor.Evidence.Reports;

/// <summary>Reads one member of an event's kind-specific details, tolerating what older or refused events leave out.</summary>
internal static class EventDetails
{
    public static string? Text(JsonElement? details, string name) =>
        Member(details, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static DateTimeOffset? Time(JsonElement? details, string name) =>
        Member(details, name) is { ValueKind: JsonValueKind.String } value && value.TryGetDateTimeOffset(out var time) ? time : null;

    public static bool Flag(JsonElement? details, string name) =>
        Member(details, name) is { ValueKind: JsonValueKind.True };

    public static long? Number(JsonElement? details, string name) =>
        Member(details, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) ? number : null;

    public static IReadOnlyList<string> Texts(JsonElement? details, string name) =>
        Member(details, name) is { ValueKind: JsonValueKind.Array } array
            ? [.. array.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!)]
            : [];

    private static JsonElement? Member(JsonElement? details, string name) =>
        details is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(name, out var value) ? value : null;
}
