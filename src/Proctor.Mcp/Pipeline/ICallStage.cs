namespace Proctor.Mcp.Pipeline;

public delegate Task CallDelegate(CallContext context, CancellationToken cancellationToken);

/// <summary>
/// One step of the per-call pipeline. A stage MAY act before and after <c>next</c>; it MUST NOT call
/// <c>next</c> after refusing; an exception refuses the call (see <see cref="CallPipeline"/>).
/// </summary>
public interface ICallStage
{
    Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken);
}
