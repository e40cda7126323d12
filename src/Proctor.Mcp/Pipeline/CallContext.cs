using System.Text.Json.Nodes;
using Proctor.Ledger.Events;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Pipeline;

/// <summary>
/// One upstream-bound call as it travels the pipeline. Stages read and amend it; the forward stage
/// sends <see cref="Request"/> and sets <see cref="Response"/>. A refusal is a value, not an exception.
/// </summary>
public sealed class CallContext
{
    private readonly List<CallMessageStep> _messageSteps = [];

    public CallContext() => UpstreamSink = new PipelineCallSink(this);

    /// <summary>Unique per call: links the call's request, messages and response in the ledger.</summary>
    public string CallId { get; } = Uuid7.New(DateTimeOffset.UtcNow).ToString("N");

    public required Caller Caller { get; init; }

    public required Upstream Upstream { get; init; }

    /// <summary>JSON-RPC method, e.g. <c>tools/call</c>.</summary>
    public required string Method { get; init; }

    /// <summary>The upstream-side tool or prompt name, or resource URI, when the method has one.</summary>
    public string? Target { get; init; }

    /// <summary>
    /// <see cref="Target"/> as ledger events and log lines show it, masked for no audience (a resource URI
    /// can carry a customer id); set by Mask (<see cref="Stages.MaskStage.StoredTarget"/>). Null before
    /// Mask ran, and when the call has no target.
    /// </summary>
    public string? RecordedTarget { get; set; }

    /// <summary>
    /// For a request that names a task (tasks/get, …): the tool whose call created it, set by TaskOwnershipStage once
    /// the task is known to be the caller's. Mask masks the task's result by that tool's rules.
    /// </summary>
    public string? TaskTool { get; set; }

    /// <summary>The request exactly as the upstream will receive it (names already un-prefixed).</summary>
    public required JsonObject Request { get; set; }

    /// <summary>The way back to the client. Stages and the upstream use <see cref="UpstreamSink"/>, which runs the message steps first.</summary>
    public required IUpstreamCallSink Sink { get; init; }

    /// <summary>What the upstream is given as its sink: notifications and server requests pass the message steps, then reach <see cref="Sink"/>.</summary>
    public IUpstreamCallSink UpstreamSink { get; }

    /// <summary>The request as the ledger stores it, masked for no audience, with what Mask replaced; set by Mask, required by Record.</summary>
    public Evidence.MaskedPayload? RecordedRequest { get; set; }

    public required TimeSpan Timeout { get; init; }

    public JsonObject? Response { get; set; }

    /// <summary>Set by Record once the request is committed; a refusal without it is recorded on its own (RecordRefusalsStage).</summary>
    public bool RequestRecorded { get; set; }

    public Refusal? Refusal { get; private set; }

    /// <summary>The policy's decision, set by Authorize; every ledger record of the call names it. Null only when a stage before Authorize refused.</summary>
    public CallDecision? Decision { get; set; }

    /// <summary>
    /// Set by Authorize when the policy's decision is <c>approve</c> (who must approve, the rule's message). The Approve stage
    /// releases the call only with an approved request, and Forward refuses to send a call that still needs one (<see cref="ApprovalUsed"/>).
    /// </summary>
    public Policy.Decisions.PolicyDecision? ApprovalRequired { get; set; }

    /// <summary>
    /// The approval request this call's run spent; set by Approve, only after its <c>approval.use</c> is recorded, and
    /// carried by the gateway to a later input round of the same call (InputRequiredBridge), never from a client.
    /// </summary>
    public string? ApprovalUsed { get; set; }

    /// <summary>
    /// The task a stage's <c>next</c> last returned. The pipeline already guards it: it fails only with the caller's own
    /// cancellation (or out of memory), so a stage that returns it as its own needs no second guard (<see cref="CallPipeline"/>).
    /// </summary>
    internal Task? GuardedTask { get; set; }

    /// <summary>Adds a step every later message of this call passes, in the order stages add them (Mask before Record).</summary>
    public void OnMessage(CallMessageStep step) => _messageSteps.Add(step);

    /// <summary>Runs a message through the steps and returns what the receiving side gets.</summary>
    public async ValueTask<JsonObject> PassAsync(JsonObject message, CallMessageKind kind, CancellationToken cancellationToken)
    {
        var passing = new CallMessage(message, kind);
        foreach (var step in _messageSteps)
        {
            await step(this, passing, cancellationToken).ConfigureAwait(false);
        }

        return passing.Delivered;
    }

    /// <summary>Refuses the call: no later stage runs and the caller receives this error.</summary>
    /// <param name="data">More members of <c>error.data</c> beside <c>reason</c> (the policy's rule, link, scopes).</param>
    public void Refuse(string reasonCode, string message, int code = Protocol.JsonRpcErrorCodes.Refused, JsonObject? data = null)
    {
        Refusal = new Refusal(reasonCode, message, code);
        data ??= [];
        data.Insert(0, "reason", reasonCode);
        Response = Protocol.JsonRpc.Error(Request["id"], code, message, data);
    }

    /// <summary>
    /// Ends the call with a tool result the gateway wrote instead of an error (the approval flow's "not yet": MCP asks
    /// for a result with <c>isError</c> when the model should read what to do). No later stage runs; the call is
    /// counted and recorded as refused with <paramref name="reasonCode"/>, like any refusal.
    /// </summary>
    public void RefuseWithResult(string reasonCode, string message, JsonObject result)
    {
        Refusal = new Refusal(reasonCode, message, Protocol.JsonRpcErrorCodes.Refused);
        Response = Protocol.JsonRpc.Result(Request["id"], result);
    }
}

/// <summary>A stable reason code (see docs/reason-codes.md) and the message the caller reads.</summary>
public sealed record Refusal(string ReasonCode, string Message, int Code);
