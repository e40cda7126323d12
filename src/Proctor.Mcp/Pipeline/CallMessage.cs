using System.Text.Json.Nodes;

namespace Proctor.Mcp.Pipeline;

/// <summary>What a message of a call is, and so which way it travels.</summary>
public enum CallMessageKind
{
    /// <summary>The upstream's answer to the call (or the gateway's error in its place).</summary>
    Response,

    /// <summary>Progress, log or other notification the upstream sends during the call.</summary>
    Notification,

    /// <summary>A request the upstream sends to the client during the call (sampling, elicitation, roots).</summary>
    ServerRequest,

    /// <summary>The client's answer to a <see cref="ServerRequest"/>, on its way back upstream.</summary>
    ClientAnswer,
}

/// <summary>
/// One message of a call after the request: it passes, in pipeline order, the steps that stages
/// registered with <see cref="CallContext.OnMessage"/> (Mask, then Record), then is delivered. This is
/// how the way back keeps the order mask → record → deliver although stages nest.
/// </summary>
public sealed class CallMessage(JsonObject original, CallMessageKind kind)
{
    public JsonObject Original { get; } = original;

    public CallMessageKind Kind { get; } = kind;

    public bool TowardClient => Kind != CallMessageKind.ClientAnswer;

    /// <summary>What the receiving side gets: the client gets what Mask leaves for its audience; an upstream gets the client's answer as sent.</summary>
    public JsonObject Delivered { get; set; } = original;

    /// <summary>The copy the ledger stores, masked for no audience, with what Mask replaced. Null until Mask sets it; Record stores nothing else.</summary>
    public Evidence.MaskedPayload? Recorded { get; set; }
}

/// <summary>A stage's handling of one <see cref="CallMessage"/>; throwing withholds the message and fails the call.</summary>
public delegate ValueTask CallMessageStep(CallContext context, CallMessage message, CancellationToken cancellationToken);
