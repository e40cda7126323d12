using System.Text.Json;
using System.Text.Json.Nodes;

namespace Proctor.Masking.Json;

/// <summary>
/// Builds a masked copy of a <see cref="JsonNode"/> tree. It walks the tree as <see cref="Utf8JsonMasker"/>
/// walks tokens, with the same <see cref="FieldTracker"/>, so both paths give every value and member name the same context.
/// </summary>
internal static class JsonNodeMasker
{
    public static JsonNode? MaskMessage(JsonNode? message, MaskingSession session)
    {
        var fields = new FieldTracker(session.Rules, FieldContext.None, atEnvelope: true);
        try
        {
            return Copy(message, session, fields);
        }
        finally
        {
            fields.Release();
        }
    }

    private static JsonNode? Copy(JsonNode? node, MaskingSession session, FieldTracker fields)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var copy = new JsonObject();
                fields.EnterObject();
                HashSet<string>? taken = null;
                foreach (var (name, child) in obj)
                {
                    var shown = name;
                    if (session.MayChangeName(name) && session.MaskName(name, fields.Names) is { } masked)
                    {
                        taken ??= new HashSet<string>(obj.Select(member => member.Key), StringComparer.Ordinal);
                        shown = MemberNames.Claim(masked, taken);
                    }
                    fields.SetProperty(name);
                    copy[shown] = Copy(child, session, fields);
                }
                fields.Leave();
                return copy;
            case JsonArray array:
                var items = new JsonArray();
                fields.EnterArray();
                foreach (var item in array)
                {
                    items.Add(Copy(item, session, fields));
                }

                fields.Leave();
                return items;
            default:
                return CopyValue(node.AsValue(), session, fields.Current);
        }
    }

    private static JsonNode CopyValue(JsonValue value, MaskingSession session, FieldContext field)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                var text = value.GetValue<string>();
                return JsonValue.Create(session.Mask(text, field) ?? text);
            case JsonValueKind.Number when !field.Skip && (field.MayMaskNumber || JsonNumbers.MayBeCard(value)):
                var masked = session.Mask(value.ToJsonString(), field);
                return masked is null ? value.DeepClone() : JsonValue.Create(masked);
            default:
                return value.DeepClone();
        }
    }
}
