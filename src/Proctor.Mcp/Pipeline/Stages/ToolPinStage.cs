using System.Text.Json.Nodes;
using Proctor.Configuration.Models;
using Proctor.Mcp.Pinning;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Pipeline.Stages;

/// <summary>
/// Pinned tool definitions (decision 0034, docs/policy.md): a tool whose definition changed since it was first seen is
/// hidden from tools/list and refused on tools/call, for every caller, until an admin accepts the new definition.
/// Runs after Authorize, so its step on the list answer runs after the policy's filter and before Mask and Record:
/// the ledger records the list the caller received. An upstream with <c>pinToolDefinitions: false</c> is not reviewed.
/// </summary>
internal sealed class ToolPinStage(ToolDefinitionPins pins, IReadOnlyDictionary<string, UpstreamModel> upstreams) : ICallStage
{
    public Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken)
    {
        if (!upstreams.TryGetValue(context.Upstream.Name, out var upstream) || !upstream.PinToolDefinitions)
        {
            return next(context, cancellationToken);
        }

        if (context.Method == McpMethods.ToolsList)
        {
            context.OnMessage(ReviewAsync);
            return next(context, cancellationToken);
        }

        return context.Method == McpMethods.ToolsCall && context.Target is { } tool
            ? CallAsync(context, tool, next, cancellationToken)
            : next(context, cancellationToken);
    }

    private async ValueTask ReviewAsync(CallContext context, CallMessage message, CancellationToken cancellationToken)
    {
        if (message.Kind == CallMessageKind.Response && message.Original["result"]?["tools"] is JsonArray tools)
        {
            await pins.ReviewAsync(context.Upstream.Name, tools, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The pin check completes at once for a tool whose pin is in memory and in force: the call then goes on as next's
    /// own task, with no state machine of this stage around it, and none of the pipeline's guard (issue 13).
    /// </summary>
    private Task CallAsync(CallContext context, string tool, CallDelegate next, CancellationToken cancellationToken)
    {
        var blocking = pins.BlockingAsync(context.Upstream.Name, tool, cancellationToken);
        return blocking.IsCompletedSuccessfully
            ? Decide(context, tool, blocking.Result, next, cancellationToken)
            : CallAfterLookupAsync(context, tool, blocking, next, cancellationToken);
    }

    private static async Task CallAfterLookupAsync(CallContext context, string tool, ValueTask<ToolPin?> blocking, CallDelegate next, CancellationToken cancellationToken) =>
        await Decide(context, tool, await blocking.ConfigureAwait(false), next, cancellationToken).ConfigureAwait(false);

    private static Task Decide(CallContext context, string tool, ToolPin? pin, CallDelegate next, CancellationToken cancellationToken)
    {
        if (pin is null)
        {
            return next(context, cancellationToken);
        }

        var server = context.Upstream.Name;
        context.Refuse(
            ReasonCodes.PolicyToolDefinitionChanged,
            $"The definition of tool '{tool}' on server '{server}' changed since the gateway pinned it (its description, schemas or annotations differ), so it is blocked until an administrator reviews the new definition and accepts it with: proctor tools accept {server} {tool}",
            JsonRpcErrorCodes.Refused,
            new JsonObject { ["server"] = server, ["tool"] = tool, ["pinned"] = pin.Fingerprint, ["seen"] = pin.Seen });
        return Task.CompletedTask;
    }
}
