using System.Text.Json.Nodes;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Upstreams.Framing;

/// <summary>
/// A message from an upstream larger than <c>upstreams.X.maxMessageBytes</c>, which the gateway read
/// through without holding. When it was an answer, its call gets <see cref="ErrorFor"/> instead.
/// </summary>
/// <param name="Bytes">Its size, or the size read before the gateway stopped reading (<paramref name="AtLeast"/>).</param>
/// <param name="Id">Its top-level id, when the scan found one.</param>
/// <param name="HasMethod">True for a request or notification, which no call waits for.</param>
internal sealed record OversizeMessage(long Bytes, bool AtLeast, JsonNode? Id, bool HasMethod)
{
    public static OversizeMessage From(TopLevelScanner scan) => new(scan.Length, false, scan.Id, scan.HasMethod);

    /// <summary>The error a waiting call gets in place of the answer (-32060, reason <c>upstream.message_too_large</c>).</summary>
    public JsonObject ErrorFor(JsonNode? id, string upstream, long maxMessageBytes) => JsonRpc.Error(
        id,
        JsonRpcErrorCodes.UpstreamUnavailable,
        $"Upstream '{upstream}' answered with a message of {(AtLeast ? "more than " : "")}{Bytes:N0} bytes, larger than upstreams.{upstream}.maxMessageBytes ({maxMessageBytes:N0} bytes); the gateway dropped it rather than hold it in memory. Ask for less (a smaller page or range) or raise upstreams.{upstream}.maxMessageBytes.",
        new JsonObject { ["reason"] = ReasonCodes.UpstreamMessageTooLarge });

    public string Describe(string upstream, long maxMessageBytes) =>
        $"{(HasMethod ? "a request or notification" : "an answer")} of {(AtLeast ? "more than " : "")}{Bytes:N0} bytes, larger than upstreams.{upstream}.maxMessageBytes ({maxMessageBytes:N0} bytes)";
}
