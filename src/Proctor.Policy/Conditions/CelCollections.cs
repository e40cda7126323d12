using System.Text.Json.Nodes;

namespace Proctor.Policy.Conditions;

/// <summary>Lists, whichever their storage: the call's JSON arrays or arrays the condition built.</summary>
internal static class CelLists
{
    public static int Count(CelValue list) => list.Reference is JsonArray json ? json.Count : ((CelValue[])list.Reference).Length;

    public static CelValue At(CelValue list, int index) =>
        list.Reference is JsonArray json ? CelValue.FromJson(json[index]) : ((CelValue[])list.Reference)[index];

    public static IEnumerable<CelValue> Items(CelValue list)
    {
        var count = Count(list);
        for (var i = 0; i < count; i++)
        {
            yield return At(list, i);
        }
    }
}

/// <summary>Maps: the call's JSON objects (string keys) or map literals.</summary>
internal static class CelMaps
{
    public static int Count(CelValue map) => map.Reference is JsonObject json ? json.Count : ((CelMap)map.Reference).Keys.Length;

    /// <summary>Finds <paramref name="key"/>; JSON objects only have string keys, so any other key is absent.</summary>
    public static bool TryGet(CelValue map, CelValue key, out CelValue value)
    {
        if (map.Reference is JsonObject json)
        {
            if (key.Kind == CelKind.String && json.TryGetPropertyValue(key.AsString, out var node))
            {
                value = CelValue.FromJson(node);
                return true;
            }

            value = default;
            return false;
        }

        var literal = (CelMap)map.Reference;
        for (var i = 0; i < literal.Keys.Length; i++)
        {
            if (CelOperators.Equal(literal.Keys[i], key))
            {
                value = literal.Values[i];
                return true;
            }
        }

        value = default;
        return false;
    }

    public static bool TryGet(CelValue map, string key, out CelValue value)
    {
        if (map.Reference is JsonObject json)
        {
            if (json.TryGetPropertyValue(key, out var node))
            {
                value = CelValue.FromJson(node);
                return true;
            }

            value = default;
            return false;
        }

        return TryGet(map, CelValue.String(key), out value);
    }

    /// <summary>The keys, as comprehensions over a map iterate them.</summary>
    public static CelValue KeyAt(CelValue map, int index)
    {
        if (map.Reference is JsonObject json)
        {
            return CelValue.String(json.GetAt(index).Key);
        }

        return ((CelMap)map.Reference).Keys[index];
    }

    public static IEnumerable<KeyValuePair<CelValue, CelValue>> Entries(CelValue map)
    {
        var count = Count(map);
        for (var i = 0; i < count; i++)
        {
            var key = KeyAt(map, i);
            TryGet(map, key, out var value);
            yield return new(key, value);
        }
    }
}
