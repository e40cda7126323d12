using ModelContextProtocol.Server;

namespace Proctor.Samples.Conformance.Protocol;

/// <summary>
/// Tells the two protocol eras apart for one request: 2026-07-28 and later carry their version
/// (and client capabilities, log level) in per-request <c>_meta</c>; earlier revisions negotiate
/// them once, in <c>initialize</c>.
/// </summary>
internal static class ProtocolEra
{
    public const string FirstPerRequestRevision = "2026-07-28";

    /// <summary>The earlier revisions this endpoint serves through the initialize handshake, newest first.</summary>
    public static readonly IReadOnlyList<string> InitializeRevisions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

    public static string? VersionOf<TParams>(RequestContext<TParams> context) =>
        context.JsonRpcRequest.Context?.ProtocolVersion ?? context.Server.NegotiatedProtocolVersion;

    public static bool UsesPerRequestMetadata<TParams>(RequestContext<TParams> context) =>
        VersionOf(context) is { } version && string.CompareOrdinal(version, FirstPerRequestRevision) >= 0;
}
