using System.Text.Json.Nodes;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Pipeline;

/// <summary>
/// One upstream-bound call as it travels the pipeline. Stages read and amend it; the forward stage
/// sends <see cref="Request"/> and sets <see cref="Response"/>. A refusal is a value, not an exception.
/// </summary>
public sealed class CallContext
{
    public required Caller Caller { get; init; }

    public required Upstream Upstream { get; init; }

    /// <summary>JSON-RPC method, e.g. <c>tools/call</c>.</summary>
    public required string Method { get; init; }

    /// <summary>The upstream-side tool or prompt name, or resource URI, when the method has one.</summary>
    public string? Target { get; init; }

    /// <summary>The request exactly as the upstream will receive it (names already un-prefixed).</summary>
    public required JsonObject Request { get; set; }

    public required IUpstreamCallSink Sink { get; init; }

    public required TimeSpan Timeout { get; init; }

    public JsonObject? Response { get; set; }

    public Refusal? Refusal { get; private set; }

    /// <summary>Refuses the call: no later stage runs and the caller receives this error.</summary>
    public void Refuse(string reasonCode, string message, int code = Protocol.JsonRpcErrorCodes.Refused)
    {
        Refusal = new Refusal(reasonCode, message, code);
        Response = Protocol.JsonRpc.Error(Request["id"], code, message, new JsonObject { ["reason"] = reasonCode });
    }
}

/// <summary>A stable reason code (see docs/reason-codes.md) and the message the caller reads.</summary>
public sealed record Refusal(string ReasonCode, string Message, int Code);
