namespace Proctor.Mcp.Clients;

/// <summary>
/// What the transport's headers said about a client message, as plain values (Streamable HTTP: <c>Mcp-Session-Id</c>,
/// <c>MCP-Protocol-Version</c>, <c>Mcp-Method</c>, <c>Mcp-Name</c>, <c>Mcp-Param-*</c>, <c>Last-Event-ID</c>; absent is empty).
/// </summary>
public sealed record ClientHeaders
{
    public static readonly ClientHeaders None = new();

    public string SessionId { get; init; } = "";

    public string ProtocolVersion { get; init; } = "";

    public string Method { get; init; } = "";

    /// <summary>As sent: plain, or <c>=?base64?…?=</c> (decoded where it is compared).</summary>
    public string Name { get; init; } = "";

    public IReadOnlyList<KeyValuePair<string, string>> ParamHeaders { get; init; } = [];

    public string LastEventId { get; init; } = "";
}
