using Proctor.Mcp.Protocol;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Pipeline.Stages;

/// <summary>
/// The end of the pipeline: sends the request upstream and turns transport failures into JSON-RPC
/// errors the caller can act on. A timeout cancels the call upstream before answering. What comes
/// back (the response, and notifications and server requests through the call's sink) passes the
/// message steps of the stages before it (mask, then record) on its way to the client. A call the policy decided needs
/// approval MUST NOT leave without the approval the Approve stage spent on it: a pipeline missing that stage fails closed here.
/// </summary>
internal sealed class ForwardStage : ICallStage
{
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
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            context.Response = JsonRpc.Error(id, JsonRpcErrorCodes.UpstreamTimeout,
                $"Upstream '{context.Upstream.Name}' did not answer {context.Method} within {context.Timeout.TotalSeconds:0.###} s; the call was cancelled upstream. Raise upstreams.{context.Upstream.Name}.timeout if this call is expected to take longer.",
                new System.Text.Json.Nodes.JsonObject { ["reason"] = ReasonCodes.UpstreamTimeout });
        }
        catch (UpstreamUnavailableException ex)
        {
            context.Response = JsonRpc.Error(id, JsonRpcErrorCodes.UpstreamUnavailable,
                $"Upstream '{ex.Upstream}' is unavailable ({ex.Reason}); the gateway is reconnecting. Retry shortly; /readyz shows its state.",
                new System.Text.Json.Nodes.JsonObject { ["reason"] = ReasonCodes.UpstreamUnavailable });
        }

        context.Response = await context.PassAsync(context.Response, CallMessageKind.Response, cancellationToken).ConfigureAwait(false);
        await next(context, cancellationToken).ConfigureAwait(false);
    }
}
