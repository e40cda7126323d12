using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Upstreams;

/// <summary>
/// A request as a 2026-07-28 upstream receives it: every request carries protocol version, client capabilities and client
/// info in <c>params._meta</c>. A caller's own values are kept (they describe the real client); a session-era caller's
/// capabilities come from its initialize; client info falls back to the gateway's. Members the gateway adds go after
/// the caller's, and a <c>params</c> or <c>_meta</c> that is not an object is replaced where it stands.
/// Written from the caller's message as it is: the copy of every node it was written from before, to add three
/// values, grew with the arguments (issue 13).
/// </summary>
internal static class ModernRequestBody
{
    public static byte[] Write(JsonObject request, JsonObject clientInfo, JsonObject clientCapabilities) =>
        JsonScratch.Write((Request: request, Client: new Client(clientInfo, clientCapabilities)), static (parts, writer) => WriteWith(writer, parts.Request, "params", parts.Client, WriteParams)).ToArray();

    private static void WriteParams(Utf8JsonWriter writer, JsonObject? parameters, Client client) =>
        WriteWith(writer, parameters, "_meta", client, WriteMeta);

    private static void WriteMeta(Utf8JsonWriter writer, JsonObject? meta, Client client) =>
        WriteWith(writer, meta, ProtocolVersions.MetaProtocolVersion, client, static (w, _, _) => w.WriteStringValue(ProtocolVersions.Modern), WriteClientUnlessGiven);

    private static void WriteClientUnlessGiven(Utf8JsonWriter writer, JsonObject? meta, Client client)
    {
        if (meta is null || !meta.ContainsKey(ProtocolVersions.MetaClientCapabilities))
        {
            writer.WritePropertyName(ProtocolVersions.MetaClientCapabilities);
            client.Capabilities.WriteTo(writer);
        }
        if (meta is null || !meta.ContainsKey(ProtocolVersions.MetaClientInfo))
        {
            writer.WritePropertyName(ProtocolVersions.MetaClientInfo);
            client.Info.WriteTo(writer);
        }
    }

    /// <summary>
    /// Writes <paramref name="node"/> with its <paramref name="member"/> written by <paramref name="writeMember"/> (given
    /// the member's object, or null when it is not one), in its place, or after the others when the object has no such
    /// member; then whatever <paramref name="writeLast"/> adds, before the object closes.
    /// </summary>
    private static void WriteWith(Utf8JsonWriter writer, JsonObject? node, string member, Client client, Action<Utf8JsonWriter, JsonObject?, Client> writeMember, Action<Utf8JsonWriter, JsonObject?, Client>? writeLast = null)
    {
        writer.WriteStartObject();
        var wrote = false;
        foreach (var (name, value) in node ?? [])
        {
            writer.WritePropertyName(name);
            if (name == member)
            {
                writeMember(writer, value as JsonObject, client);
                wrote = true;
            }
            else
            {
                Write(writer, value);
            }
        }
        if (!wrote)
        {
            writer.WritePropertyName(member);
            writeMember(writer, null, client);
        }
        writeLast?.Invoke(writer, node, client);
        writer.WriteEndObject();
    }

    private readonly record struct Client(JsonObject Info, JsonObject Capabilities);

    private static void Write(Utf8JsonWriter writer, JsonNode? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer);
        }
    }
}
