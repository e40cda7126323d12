using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Proctor.Samples.Conformance.Tasks;

/// <summary>
/// Decides, for each tools/call, whether it becomes a task (SEP-2663: the server decides; the
/// client only declares that it understands tasks). A task is created before the tool runs and
/// its CreateTaskResult is answered at once; the tool then runs in the background, in its own
/// service scope (the request's ends with the response), and its outcome lands on the task.
/// </summary>
internal sealed class TaskDispatch(TaskStore store, IServiceScopeFactory scopes)
{
    public async ValueTask<ResultOrAlternate<CallToolResult>> InvokeAsync(
        RequestContext<CallToolRequestParams> request,
        McpRequestHandler<CallToolRequestParams, ResultOrAlternate<CallToolResult>> next,
        CancellationToken cancellationToken)
    {
        if (request.Params is null || !TaskTools.Support.TryGetValue(request.Params.Name, out var support))
        {
            return await next(request, cancellationToken);
        }

        if (!TasksExtension.IsNegotiated(request.JsonRpcRequest))
        {
            if (support.Required)
            {
                throw TasksExtension.Missing($"The tool '{request.Params.Name}' runs only as a task");
            }

            return await next(request, cancellationToken);
        }

        if (support.StillGathering?.Invoke(request.Params) == true)
        {
            return await next(request, cancellationToken);
        }

        var task = store.Create();
        _ = Task.Run(() => RunAsync(task, next, request), CancellationToken.None);
        return ResultOrAlternate<CallToolResult>.FromAlternate(task.Created(), TasksJsonContext.Default.CreateTaskResult);
    }

    private async Task RunAsync(
        FixtureTask task,
        McpRequestHandler<CallToolRequestParams, ResultOrAlternate<CallToolResult>> next,
        RequestContext<CallToolRequestParams> request)
    {
        TaskInput.Enter(task);
        await using var scope = scopes.CreateAsyncScope();
        var detached = new RequestContext<CallToolRequestParams>(request.Server, request.JsonRpcRequest, request.Params!)
        {
            MatchedPrimitive = request.MatchedPrimitive,
            Services = scope.ServiceProvider,
        };

        try
        {
            var outcome = await next(detached, task.Cancellation.Token);
            if (outcome.IsAlternate)
            {
                task.Fail((int)McpErrorCode.InternalError, $"The tool '{request.Params!.Name}' answered a non-final result while running as a task; a task asks for input through tasks/get instead.");
            }
            else
            {
                task.Complete(outcome.Result!);
            }
        }
        catch (OperationCanceledException) when (task.Cancellation.IsCancellationRequested)
        {
            task.Cancel();
        }
        catch (McpProtocolException ex)
        {
            // SEP-2663: a protocol-level error makes the task failed, with the JSON-RPC error inlined.
            task.Fail((int)ex.ErrorCode, ex.Message);
        }
        catch (Exception ex)
        {
            task.Fail((int)McpErrorCode.InternalError, $"The tool '{request.Params!.Name}' failed while running as a task: {ex.Message}");
        }
    }
}
