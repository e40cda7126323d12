namespace Proctor.Mcp.Protocol;

/// <summary>
/// Every JSON-RPC error code the gateway emits. Codes -32000..-32099 are implementation-defined by
/// JSON-RPC 2.0; MCP itself uses -32002, -32020..-32022 and -32042, so the gateway's own codes
/// start at -32060. A code is never reused for another meaning.
/// </summary>
public static class JsonRpcErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;

    public const int ResourceNotFound = -32002;
    public const int HeaderMismatch = -32020;
    public const int MissingClientCapability = -32021;
    public const int UnsupportedProtocolVersion = -32022;

    /// <summary>The upstream server is not running or not reachable.</summary>
    public const int UpstreamUnavailable = -32060;

    /// <summary>The upstream server did not answer within the configured timeout.</summary>
    public const int UpstreamTimeout = -32061;

    /// <summary>The request body exceeds <c>gateway.maxRequestBytes</c>.</summary>
    public const int RequestTooLarge = -32062;

    /// <summary>A pipeline stage refused the call (identity, policy, approval, masking or recording).</summary>
    public const int Refused = -32063;

    /// <summary>The gateway failed in a way that is a bug; the call was not forwarded.</summary>
    public const int GatewayFault = -32064;
}
