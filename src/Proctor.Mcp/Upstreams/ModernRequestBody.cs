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
        JsonScratch.Write((request, clientInfo, clientCapabilities), static (parts, writer) => WriteRequest(writer, parts.request, parts.clientInfo, parts.clientCapabilities)).ToArray();

    private static void WriteRequest(Utf8JsonWriter writer, JsonObject request, JsonObject clientInfo, JsonObject clientCapabilities)
    {
        writer.WriteStartObject();
        var wroteParams = false;
        foreach (var (name, value) in request)
        {
            writer.WritePropertyName(name);
            if (name == "params")
            {
                WriteParams(writer, value as JsonObject, clientInfo, clientCapabilities);
                wroteParams = true;
            }
            else
            {
                Write(writer, value);
            }
        }
        if (!wroteParams)
        {
            writer.WritePropertyName("params");
            WriteParams(writer, null, clientInfo, clientCapabilities);
        }
        writer.WriteEndObject();
    }

    private static void WriteParams(Utf8JsonWriter writer, JsonObject? parameters, JsonObject clientInfo, JsonObject clientCapabilities)
    {
        writer.WriteStartObject();
        var wroteMeta = false;
        foreach (var (name, value) in parameters ?? [])
        {
            writer.WritePropertyName(name);
            if (name == "_meta")
            {
                WriteMeta(writer, value as JsonObject, clientInfo, clientCapabilities);
                wroteMeta = true;
            }
            else
            {
                Write(writer, value);
            }
        }
        if (!wroteMeta)
        {
            writer.WritePropertyName("_meta");
            WriteMeta(writer, null, clientInfo, clientCapabilities);
        }
        writer.WriteEndObject();
    }

    private static void WriteMeta(Utf8JsonWriter writer, JsonObject? meta, JsonObject clientInfo, JsonObject clientCapabilities)
    {
        writer.WriteStartObject();
        var wroteVersion = false;
        foreach (var (name, value) in meta ?? [])
        {
            writer.WritePropertyName(name);
            if (name == ProtocolVersions.MetaProtocolVersion)
            {
                writer.WriteStringValue(ProtocolVersions.Modern);
                wroteVersion = true;
            }
            else
            {
                Write(writer, value);
            }
        }
        if (!wroteVersion)
        {
            writer.WriteString(ProtocolVersions.MetaProtocolVersion, ProtocolVersions.Modern);
        }
        if (meta is null || !meta.ContainsKey(ProtocolVersions.MetaClientCapabilities))
        {
            writer.WritePropertyName(ProtocolVersions.MetaClientCapabilities);
            clientCapabilities.WriteTo(writer);
        }
        if (meta is null || !meta.ContainsKey(ProtocolVersions.MetaClientInfo))
        {
            writer.WritePropertyName(ProtocolVersions.MetaClientInfo);
            clientInfo.WriteTo(writer);
        }
        writer.WriteEndObject();
    }

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
