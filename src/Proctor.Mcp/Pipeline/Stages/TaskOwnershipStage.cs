using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Tasks;

namespace Proctor.Mcp.Pipeline.Stages;

/// <summary>
/// Tasks (SEP-2663) belong to the caller whose tools/call created them (decision 0043). On a tools/call, the answer's
/// step binds a created task to the caller before the caller can learn its id, so a tasks/get sent the moment the
/// answer arrives already resolves. On tasks/get, tasks/update, tasks/cancel (and 2025-11-25's tasks/result), the
/// request reaches the upstream only if its task is bound to this caller on this upstream; anyone else is told the
/// task is unknown, which is what the upstream would say of a task that never existed. tasks/list is not relayed:
/// it would list every caller's tasks. Runs after Authorize (the policy decided on the call that created the task)
/// and before Mask, which masks the task's result by the rules of the tool that created it.
/// </summary>
internal sealed class TaskOwnershipStage(TaskBindings bindings) : ICallStage
{
    public Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken)
    {
        if (context.Method == McpMethods.ToolsCall && context.Target is { } tool)
        {
            context.OnMessage((ctx, message, _) => BindCreatedTask(ctx, message, tool));
            return next(context, cancellationToken);
        }

        if (context.Method == McpMethods.TasksList)
        {
            context.Refuse(ReasonCodes.TaskListNotRelayed,
                "tasks/list is not relayed by this gateway: the upstream would list the tasks of every caller. Keep the task ids your tools/call answers returned and ask for each with tasks/get.",
                JsonRpcErrorCodes.MethodNotFound);
            return Task.CompletedTask;
        }

        return TaskMessages.NamesATask(context.Method) ? CheckOwnerAsync(context, next, cancellationToken) : next(context, cancellationToken);
    }

    private Task CheckOwnerAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken)
    {
        if (context.Caller.ProtocolVersion == ProtocolVersions.Modern && !TaskMessages.Declared(context.Request))
        {
            context.Refuse(ReasonCodes.TaskExtensionNotDeclared,
                $"{context.Method} belongs to the tasks extension, which this request does not declare; add \"{TaskMessages.ExtensionId}\": {{}} under _meta[\"{ProtocolVersions.MetaClientCapabilities}\"].extensions.",
                JsonRpcErrorCodes.MissingClientCapability,
                new JsonObject { ["requiredCapabilities"] = new JsonObject { ["extensions"] = new JsonObject { [TaskMessages.ExtensionId] = new JsonObject() } } });
            return Task.CompletedTask;
        }

        var taskId = TaskMessages.TaskIdOf(context.Request);
        if (taskId is null || bindings.Find(context.Caller.Key, taskId) is not { } binding || binding.Upstream != context.Upstream.Name)
        {
            context.Refuse(ReasonCodes.TaskUnknown,
                $"Unknown task '{taskId}' on server '{context.Upstream.Name}': no task of that id was created by you through this gateway, or its time to live has passed. Use the taskId of a tools/call answer you received, on the same server.",
                JsonRpcErrorCodes.InvalidParams);
            return Task.CompletedTask;
        }

        context.TaskTool = binding.Tool;
        return next(context, cancellationToken);
    }

    private ValueTask BindCreatedTask(CallContext context, CallMessage message, string tool)
    {
        if (message.Kind != CallMessageKind.Response || TaskMessages.CreatedTask(message.Original) is not { } created)
        {
            return ValueTask.CompletedTask;
        }

        var server = context.Upstream.Name;
        return bindings.Bind(context.Caller.Key, server, tool, created.TaskId, created.TtlMs) switch
        {
            BindOutcome.Bound => ValueTask.CompletedTask,
            BindOutcome.Full => throw new CallRefusedException(ReasonCodes.TaskTooMany,
                $"Tool '{tool}' on server '{server}' started a task, but the gateway already holds {TaskBindings.Capacity} live tasks, so it withheld this one: you could not have reached it. Retry later, once older tasks expire; an operator can see event 3231 in the gateway log."),
            _ => throw new CallRefusedException(ReasonCodes.TaskIdConflict,
                $"Tool '{tool}' on server '{server}' started a task whose id you already hold on another server, so the gateway withheld it rather than let one server answer for another's task. Report this to the operator of server '{server}' (event 3232 in the gateway log)."),
        };
    }
}
