using System.Net;
using System.Text.Json.Nodes;

namespace Proctor.Mcp.Pipeline;

/// <summary>
/// Who is calling, as established by the transport before the pipeline runs. Until an identity
/// provider is configured (identity issue), the only verified facts are the connection's.
/// </summary>
public sealed record Caller(string Subject, string AuthenticationMethod, IPAddress? SourceAddress, JsonObject? ClientInfo, string ProtocolVersion)
{
    public static Caller Anonymous(IPAddress? source, JsonObject? clientInfo, string protocolVersion) =>
        new("anonymous", "none", source, clientInfo, protocolVersion);

    public bool IsAuthenticated => AuthenticationMethod != "none";
}
