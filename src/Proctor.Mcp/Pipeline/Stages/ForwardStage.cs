using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Pipeline.Stages;

/// <summary>
/// The end of the pipeline: sends the request upstream and turns transport failures into JSON-RPC
/// errors the caller can act on. A timeout cancels the call upstream before answering. What comes
/// back (the response, and notifications and server requests through the call's sink) passes the
/// message steps of the stages before it (mask, then record) on its way to the client.
/// An answer MUST carry the request's own id: one that does not may be another request's result (a
/// 2026-07-28 upstream answering the wrong POST, or a fault in the gateway's id mapping), so it is withheld
/// and the caller gets an error instead (docs/SECURITY.md, "another request's id").
/// A call the policy decided needs approval MUST NOT leave without the approval the Approve stage spent on it: a pipeline
/// missing that stage fails closed here.
/// </summary>
internal sealed partial class ForwardStage(ILogger<ForwardStage>? logger = null) : ICallStage
{
    private readonly ILogger _logger = logger ?? NullLogger<ForwardStage>.Instance;

    public async Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested(); // the caller left while earlier stages ran: nothing to forward for
        if (context.ApprovalRequired is not null && context.ApprovalUsed is null)
        {
            throw new InvalidOperationException($"A {context.Method} that needs approval reached Forward without an approval spent on it; the pipeline must run the Approve stage after Authorize.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(context.Timeout);
        var id = context.Request["id"];
        try
        {
            context.Response = await context.Upstream.CallAsync(context.Request, context.UpstreamSink, timeout.Token).ConfigureAwait(false);
            if (!JsonNode.DeepEquals(context.Response["id"], id))
            {
                Log.AnswerForAnotherId(_logger, context.Upstream.Name, context.Method);
                context.Response = JsonRpc.Error(id, JsonRpcErrorCodes.UpstreamUnavailable,
                    $"Upstream '{context.Upstream.Name}' answered {context.Method} with an answer carrying another request's id, so the gateway withheld it: it may be another call's result. The request may or may not have been carried out; retry if that is safe. If it recurs, the gateway log (event 2900) names the upstream.",
                    new JsonObject { ["reason"] = ReasonCodes.UpstreamAnswerMismatch });
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            context.Response = JsonRpc.Error(id, JsonRpcErrorCodes.UpstreamTimeout,
                $"Upstream '{context.Upstream.Name}' did not answer {context.Method} within {context.Timeout.TotalSeconds:0.###} s; the call was cancelled upstream. Raise upstreams.{context.Upstream.Name}.timeout if this call is expected to take longer.",
                new JsonObject { ["reason"] = ReasonCodes.UpstreamTimeout });
        }
        catch (UpstreamUnavailableException ex)
        {
            context.Response = JsonRpc.Error(id, JsonRpcErrorCodes.UpstreamUnavailable,
                $"Upstream '{ex.Upstream}' is unavailable ({ex.Reason}); the gateway is reconnecting. Retry shortly; /readyz shows its state.",
                new JsonObject { ["reason"] = ReasonCodes.UpstreamUnavailable });
        }

        context.Response = await context.PassAsync(context.Response, CallMessageKind.Response, cancellationToken).ConfigureAwait(false);
        await next(context, cancellationToken).ConfigureAwait(false);
    }

    private static partial class Log
    {
        // Ids are not logged: a client chooses its own, and an upstream's may be anything.
        [LoggerMessage(EventId = 2900, Level = LogLevel.Error, Message = "Upstream {Upstream} answered {Method} with another request's id; the answer was withheld and the caller got an error (upstream.answer_mismatch)")]
        public static partial void AnswerForAnotherId(ILogger logger, string upstream, string method);
    }
}
