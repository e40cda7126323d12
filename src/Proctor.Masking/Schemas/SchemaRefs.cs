using System.Text.Json;
using System.Text.Json.Nodes;

namespace Proctor.Masking.Schemas;

/// <summary>
/// References. Every subschema of the document is adjusted where it stands, so a reference into the
/// document reaches an adjusted schema. A reference the gateway cannot follow (another document, a
/// place the rewrite moved, a place under <c>not</c>, which is tightened instead) is dropped: it would
/// judge masked values by rules they cannot meet, and without it the schema only accepts more.
/// </summary>
internal static class SchemaRefs
{
    private static readonly string[] Keywords = ["$ref", "$dynamicRef", "$recursiveRef"];

    public static bool HasRef(JsonObject schema) => Keywords.Any(schema.ContainsKey);

    /// <summary>Drops references to other documents (anything but a fragment of this one).</summary>
    public static void DropExternal(JsonObject schema)
    {
        foreach (var keyword in Keywords)
        {
            if (schema.TryGetPropertyValue(keyword, out var target) && !(target is JsonValue v && v.TryGetValue<string>(out var uri) && uri.StartsWith('#')))
            {
                schema.Remove(keyword);
            }
        }
    }

    /// <summary>Drops references whose fragment does not resolve, in the adjusted document, to a schema outside any <c>not</c>.</summary>
    public static void DropUnresolvable(JsonNode? root)
    {
        var holders = new List<(JsonObject Schema, string Keyword, string Fragment)>();
        Collect(root, holders);
        foreach (var (schema, keyword, fragment) in holders)
        {
            if (!Resolves(root, schema, fragment))
            {
                schema.Remove(keyword);
            }
        }
    }

    private static void Collect(JsonNode? node, List<(JsonObject, string, string)> holders)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var keyword in Keywords)
                {
                    if (obj[keyword] is JsonValue v && v.TryGetValue<string>(out var uri) && uri.StartsWith('#'))
                    {
                        holders.Add((obj, keyword, uri[1..]));
                    }
                }

                foreach (var (_, child) in obj)
                {
                    Collect(child, holders);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, holders);
                }

                break;
        }
    }

    private static bool Resolves(JsonNode? root, JsonObject from, string fragment)
    {
        var resource = ResourceOf(from) ?? root;
        if (fragment.Length == 0)
        {
            return true;
        }

        if (!fragment.StartsWith('/'))
        {
            return HasAnchor(root, Uri.UnescapeDataString(fragment));
        }

        var node = resource;
        foreach (var encoded in fragment[1..].Split('/'))
        {
            var segment = Uri.UnescapeDataString(encoded).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (segment == "not")
            {
                return false;
            }

            node = node switch
            {
                JsonObject obj when obj.TryGetPropertyValue(segment, out var child) => child,
                JsonArray array when int.TryParse(segment, out var i) && i >= 0 && i < array.Count => array[i],
                _ => null,
            };
            if (node is null)
            {
                return false;
            }
        }
        return node is JsonObject || node!.GetValueKind() is JsonValueKind.True or JsonValueKind.False;
    }

    /// <summary>The nearest enclosing schema with its own <c>$id</c>: fragments resolve against it.</summary>
    private static JsonNode? ResourceOf(JsonNode node)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            if (current is JsonObject obj && obj.ContainsKey("$id"))
            {
                return obj;
            }
        }

        return null;
    }

    private static bool HasAnchor(JsonNode? node, string name) => node switch
    {
        JsonObject obj => obj.Any(p => (p.Key is "$anchor" or "$dynamicAnchor" && p.Value is JsonValue v && v.TryGetValue<string>(out var a) && a == name) || (p.Key != "not" && HasAnchor(p.Value, name))),
        JsonArray array => array.Any(item => HasAnchor(item, name)),
        _ => false,
    };
}
