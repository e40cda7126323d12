using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Proctor.Mcp.Routing;

/// <summary>
/// A pagination cursor on <c>/mcp</c>: the upstreams that still have pages and each one's own cursor,
/// base64url-encoded JSON. Opaque to clients, as the spec requires of cursors.
/// </summary>
public static class GatewayCursor
{
    public static string Encode(IReadOnlyList<(string Server, string Cursor)> remaining)
    {
        var array = new JsonArray();
        foreach (var (server, cursor) in remaining)
        {
            array.Add(new JsonArray(server, cursor));
        }

        return Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(array));
    }

    public static bool TryDecode(string cursor, out List<(string Server, string Cursor)> remaining)
    {
        remaining = [];
        try
        {
            if (JsonNode.Parse(Base64Url.DecodeFromChars(cursor)) is not JsonArray array)
            {
                return false;
            }

            foreach (var item in array)
            {
                if (item is not JsonArray { Count: 2 } pair || pair[0]?.GetValue<string>() is not { } server || pair[1]?.GetValue<string>() is not { } upstreamCursor)
                {
                    return false;
                }

                remaining.Add((server, upstreamCursor));
            }

            return true;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            return false;
        }
    }
}
