using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Clients;

/// <summary>Which protocol era a client POST belongs to (docs/decisions/0003-era-detection.md).</summary>
public enum ClientEra
{
    /// <summary>Carries <c>Mcp-Session-Id</c>: a message within a session-era session.</summary>
    Session,

    /// <summary>A session-era <c>initialize</c>: it opens a session.</summary>
    Initialize,

    /// <summary>2026-07-28: stateless, its protocol version in <c>_meta</c> or the header.</summary>
    Modern,

    /// <summary>None of these: refused, saying what each era sends.</summary>
    Unknown,
}

public static class ClientEras
{
    /// <summary>
    /// A session id decides first (whatever the body says); then <c>initialize</c> without a 2026-07-28 header opens
    /// a session; then a 2026-07-28 header or <c>_meta</c> protocol version makes it stateless.
    /// </summary>
    public static ClientEra Detect(ClientHeaders headers, JsonObject message)
    {
        var modernHeader = ProtocolVersions.IsModern(headers.ProtocolVersion);
        if (headers.SessionId.Length > 0)
        {
            return ClientEra.Session;
        }

        if (!modernHeader && JsonRpc.Method(message) == McpMethods.Initialize)
        {
            return ClientEra.Initialize;
        }

        return modernHeader || JsonRpc.Params(message)?["_meta"]?[ProtocolVersions.MetaProtocolVersion] is not null
            ? ClientEra.Modern
            : ClientEra.Unknown;
    }
}
