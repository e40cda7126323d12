using System.Text.Json;
using System.Text.Json.Nodes;

namespace Proctor.Masking.Json;

/// <summary>Builds a masked copy of a <see cref="JsonNode"/> tree with the same field rules as <see cref="Utf8JsonMasker"/>.</summary>
internal static class JsonNodeMasker
{
    public static JsonNode? Mask(JsonNode? node, MaskingSession session, bool atEnvelope) =>
        Copy(node, session, FieldContext.None, session.Rules.HasPathRules ? [] : null, atEnvelope);

    private static JsonNode? Copy(JsonNode? node, MaskingSession session, FieldContext field, List<string>? path, bool atEnvelope)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (name, child) in obj)
                {
                    path?.Add(Detection.FieldNames.Normalize(name));
                    var context = FieldContext.For(name, session.Rules, path, atEnvelope);
                    copy[name] = Copy(child, session, context, path, atEnvelope: false);
                    path?.RemoveAt(path.Count - 1);
                }
                return copy;
            case JsonArray array:
                var items = new JsonArray();
                foreach (var item in array) items.Add(Copy(item, session, field, path, atEnvelope: false));
                return items;
            default:
                return CopyValue(node.AsValue(), session, field);
        }
    }

    private static JsonNode CopyValue(JsonValue value, MaskingSession session, FieldContext field)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                var text = value.GetValue<string>();
                return JsonValue.Create(session.Mask(text, field) ?? text);
            case JsonValueKind.Number when field.MayMaskNumber && !field.Skip:
                var masked = session.Mask(value.ToJsonString(), field);
                return masked is null ? value.DeepClone() : JsonValue.Create(masked);
            default:
                return value.DeepClone();
        }
    }
}
