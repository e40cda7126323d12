using Microsoft.Extensions.Logging;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Pipeline;

/// <summary>The stages composed once, in the order the host lists them, ending in the forward stage.</summary>
public sealed partial class CallPipeline
{
    private readonly CallDelegate _entry;
    private readonly ILogger _logger;

    public CallPipeline(IReadOnlyList<ICallStage> stages, ILogger<CallPipeline> logger)
    {
        _logger = logger;
        CallDelegate next = static (_, _) => Task.CompletedTask;
        for (var i = stages.Count - 1; i >= 0; i--)
        {
            var stage = stages[i];
            var following = next;
            next = (context, ct) =>
            {
                var running = context.Refusal is null ? InvokeAsync(stage, context, following, ct) : Task.CompletedTask;
                context.GuardedTask = running;
                return running;
            };
        }

        _entry = next;
        Stages = stages.Select(s => s.GetType().Name).ToArray();
    }

    public IReadOnlyList<string> Stages { get; }

    /// <summary>Runs the call; whatever happens, <see cref="CallContext.Response"/> is set on return.</summary>
    public async Task RunAsync(CallContext context, CancellationToken cancellationToken)
    {
        await _entry(context, cancellationToken).ConfigureAwait(false);
        context.Response ??= JsonRpc.Error(context.Request["id"], JsonRpcErrorCodes.GatewayFault, "The gateway produced no response for this call.");
    }

    /// <summary>
    /// A stage that throws refuses the call right there, so that the stages around it see the refusal on
    /// their way out (RecordRefusals records it, CallTelemetry counts it) instead of being unwound past.
    /// </summary>
    /// <remarks>
    /// Most stages pass a call on by returning the next stage's own task, which this method already guards for that
    /// stage. Awaiting it again would change nothing but cost a state machine and a resumption per stage and call, so
    /// such a task is returned as it is (<see cref="CallContext.GuardedTask"/>); only a stage's own unfinished work is
    /// awaited here.
    /// </remarks>
    private Task InvokeAsync(ICallStage stage, CallContext context, CallDelegate next, CancellationToken cancellationToken)
    {
        Task running;
        try
        {
            running = stage.InvokeAsync(context, next, cancellationToken);
        }
        catch (Exception ex)
        {
            running = Task.FromException(ex); // handled below exactly as if the stage were async
        }

        return running.IsCompletedSuccessfully || ReferenceEquals(running, context.GuardedTask)
            ? running
            : GuardAsync(running, context, cancellationToken);
    }

    private async Task GuardAsync(Task running, CallContext context, CancellationToken cancellationToken)
    {
        try
        {
            await running.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (CallRefusedException refused)
        {
            Log.StageRefused(_logger, context.Method, context.Upstream.Name, refused.ReasonCode, refused.Message);
            context.Refuse(refused.ReasonCode, refused.Message, refused.Code);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.StageFault(_logger, context.Method, context.Upstream.Name, ex);
            context.Refuse(ReasonCodes.Fault, "The gateway failed while handling this call and did not complete it; the failure is in the gateway log.", JsonRpcErrorCodes.GatewayFault);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Pipeline fault on {Method} to {Upstream}; the call was refused")]
        public static partial void StageFault(ILogger logger, string method, string upstream, Exception exception);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Call {Method} to {Upstream} refused ({Reason}): {Detail}")]
        public static partial void StageRefused(ILogger logger, string method, string upstream, string reason, string detail);
    }
}
