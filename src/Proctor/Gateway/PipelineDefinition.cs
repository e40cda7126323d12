using Microsoft.Extensions.Logging;
using Proctor.Configuration;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Stages;

namespace Proctor.Gateway;

/// <summary>
/// The per-call pipeline, listed once, in order. Slots not yet filled are named here with the issue
/// that fills them, so that the order (and so the security argument) is fixed before they land.
/// </summary>
internal static class PipelineDefinition
{
    // Can anything reach the upstream unrecorded? No: Forward is last and only Record may precede it.
    // Can the ledger see an unmasked value? No: Mask runs before Record, which only sees masked copies.
    public static CallPipeline Build(GatewayModel model, ILoggerFactory loggers, GatewayMetrics metrics, TimeProvider time) => new(
    [
        new AuthenticateStage(model.Upstreams, time),               // a caller is established; per-upstream MFA and sign-in age
        // Authorize: policy per server, tool and argument (policy issue)
        // Approve: just-in-time approval of held calls (approvals issue)
        // Mask: masking of arguments going out and results coming back (masking issue, #5)
        new CallTelemetryStage(loggers.CreateLogger<CallTelemetryStage>(), metrics), // Record slot: log line and metrics today; the ledger (#4) joins here
        new ForwardStage(),                                         // sends upstream; timeouts and dead upstreams become JSON-RPC errors
    ], loggers.CreateLogger<CallPipeline>());
}
