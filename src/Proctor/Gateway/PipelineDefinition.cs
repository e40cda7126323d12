using Microsoft.Extensions.Logging;
using Proctor.Approvals.Grants;
using Proctor.Configuration.Models;
using Proctor.Mcp.Authorization;
using Proctor.Mcp.Pinning;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Pipeline.Stages;
using Proctor.Mcp.Tasks;

namespace Proctor.Gateway;

/// <summary>
/// The per-call pipeline, listed once, in order. Slots not yet filled are named here with the issue
/// that fills them, so that the order (and so the security argument) is fixed before they land.
/// On the way back the order is Mask, then Record, then delivery (see CallContext.OnMessage).
/// </summary>
internal static class PipelineDefinition
{
    // Can anything reach the upstream unrecorded? No: Record commits the request before Forward, the last stage, runs.
    // Can anything reach the client unrecorded or unmasked? No: all that comes back passes Mask's step, then Record's (decision 0007).
    // Can the ledger see an unmasked value? No: Record stores only the copies Mask made for no audience, and fails without them;
    // RecordRefusals stores the gateway's own refusal, never the refused request.
    // Messages that are not calls never reach this list: a client message is a request with an id or a notification its era allows,
    // and ClientNotificationRelay records such a notification before it is sent; anything else is refused and recorded (decision 0012).
    // Does the upstream ever see a call the policy did not allow? No: Authorize runs before Forward on every call, lists included,
    // and refuses without calling next; what a caller may not use is removed from its lists before Mask and Record.
    // Does a tool under a grant rule ever run without an active grant? No: Authorize refuses it unless the in-memory grants, compared
    // with the call's own time, cover exactly this caller, server and tool (decision 0041).
    // Can a caller reach another caller's task (tasks/get, tasks/update, tasks/cancel)? No: TaskOwnership binds each task id to the
    // caller whose tools/call answer created it, before that answer is delivered, and refuses every other caller as "unknown task".
    // Does a call that needs approval ever run without one, or twice on one? No: Approve passes it on only after spending an approved
    // request for exactly that call (compare-and-set in the store, approval.use recorded first), and Forward refuses one that still needs it.
    public static CallPipeline Build(GatewayModel model, PolicyInForce policies, ActiveGrants grants, ToolDefinitionPins pins, ApproveStage approve, IPayloadMasker masker, ICallRecorder recorder, ILoggerFactory loggers, CallTelemetry telemetry, TimeProvider time, TaskBindings tasks) => new(
    [
        new CallTelemetryStage(telemetry),                          // outermost: one log line and the metrics for every call, refusals by any stage included; names targets, never payloads
        new RecordRefusalsStage(recorder, masker, loggers.CreateLogger<RecordRefusalsStage>()), // denied attempts are evidence: a refusal before Record becomes call.refused (no arguments)
        new AuthenticateStage(model.Upstreams, time),               // a caller is established; per-upstream MFA and sign-in age
        new AuthorizeStage(policies, model.Identity, time, loggers.CreateLogger<AuthorizeStage>(), grants), // the policy decides per server, tool, prompt, resource and argument; lists filtered per caller; grant rules need an active grant
        new ToolPinStage(pins, model.Upstreams),                    // a tool whose definition changed since it was pinned is hidden and refused until an admin accepts it (decision 0034)
        new TaskOwnershipStage(tasks),                              // a task (SEP-2663) is reached only by the caller whose call created it (decision 0043)
        approve,                                                    // maker-checker: a call the policy says needs approval runs once per approval, held meanwhile (decision 0037)
        new MaskStage(masker),                                      // where masking happens for calls: stored copies for no audience, delivered copies for the caller's groups (messages of no call: UnsolicitedRelay)
        new RecordStage(recorder),                                    // audit before forward, record before deliver; fail closed
        new ForwardStage(loggers.CreateLogger<ForwardStage>()),     // sends upstream; timeouts, dead upstreams and answers carrying another request's id become JSON-RPC errors
    ], loggers.CreateLogger<CallPipeline>());
}
