using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Pipeline.Stages;

/// <summary>
/// Refuses any call whose caller the transport did not establish. The transport authenticates the
/// HTTP request (401/403 happen there); this stage is the pipeline's guarantee that no call runs
/// without a <see cref="Caller"/>, and where identity requirements per upstream (MFA, groups) attach.
/// </summary>
internal sealed class AuthenticateStage : ICallStage
{
    public Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(context.Caller.Subject))
        {
            context.Refuse(ReasonCodes.NoCaller, "The request carries no caller identity; it cannot be forwarded.", JsonRpcErrorCodes.Refused);
            return Task.CompletedTask;
        }

        return next(context, cancellationToken);
    }
}
