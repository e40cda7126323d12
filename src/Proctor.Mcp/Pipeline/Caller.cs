using System.Net;
using System.Text.Json.Nodes;

namespace Proctor.Mcp.Pipeline;

/// <summary>
/// Who is calling, as established by the transport before the pipeline runs. Without an identity
/// section the caller is anonymous, and the only verified facts are the connection's.
/// </summary>
public sealed record Caller(string Subject, string AuthenticationMethod, IPAddress? SourceAddress, JsonObject? ClientInfo, string ProtocolVersion)
{
    /// <summary>The token issuer that vouches for <see cref="Subject"/>; null for anonymous callers.</summary>
    public string? Issuer { get; init; }

    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>OAuth scopes the caller's token grants; agent keys grant none.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>How the caller authenticated to its identity provider (<c>amr</c>), e.g. pwd, mfa, otp.</summary>
    public IReadOnlyList<string> AuthenticationMethods { get; init; } = [];

    /// <summary>Authentication context class (<c>acr</c>).</summary>
    public string? AuthenticationContext { get; init; }

    /// <summary>When the caller last authenticated (<c>auth_time</c>).</summary>
    public DateTimeOffset? AuthenticatedAt { get; init; }

    /// <summary>The legacy MCP session the request arrived on (<c>Mcp-Session-Id</c>); null for 2026-07-28 stateless requests.</summary>
    public string? SessionId { get; init; }

    /// <summary>Issuer and subject together: what sessions and held calls are bound to (subjects are only unique per issuer).</summary>
    public string Key => Issuer is null ? Subject : $"{Issuer}|{Subject}";

    /// <summary>The subject of the gateway itself, as the ledger names it in the events it writes on its own account.</summary>
    public const string GatewaySubject = "proctor:gateway";

    /// <summary>The authentication method, and so the kind, of the gateway's own identity; no transport ever sets it.</summary>
    public const string GatewayMethod = "gateway";

    public static Caller Anonymous(IPAddress? source, JsonObject? clientInfo, string protocolVersion) =>
        new("anonymous", "none", source, clientInfo, protocolVersion);

    /// <summary>
    /// The gateway acting on its own account, for housekeeping such as releasing the upstream subscriptions of
    /// a session it closed (<paramref name="sessionId"/>). Transports build callers from verified tokens, agent keys or
    /// the connection, never with <see cref="GatewayMethod"/>, so no client can present this identity; the
    /// Authenticate stage admits it for housekeeping methods only.
    /// </summary>
    public static Caller Gateway(string? sessionId, string protocolVersion) =>
        new(GatewaySubject, GatewayMethod, null, null, protocolVersion) { SessionId = sessionId };

    public bool IsAuthenticated => AuthenticationMethod != "none";

    /// <summary>True only for <see cref="Gateway"/>: the method no transport sets, and no issuer vouching for a subject.</summary>
    public bool IsGateway => AuthenticationMethod == GatewayMethod && Issuer is null;
}
