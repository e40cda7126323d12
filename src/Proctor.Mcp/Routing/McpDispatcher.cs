using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Proctor.Mcp.Access;
using Proctor.Mcp.Bridging;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Tasks;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Routing;

/// <summary>
/// Decides where each client request goes: answered locally (ping), fanned out and merged (lists on
/// <c>/mcp</c>), or routed to one upstream through the pipeline. Every upstream-bound call, including
/// each leg of a fan-out, goes through <see cref="CallPipeline"/>. The one tool the gateway serves itself,
/// <see cref="RequestAccessTool"/>, is listed and answered here on <c>/mcp</c> only, to callers who may request access.
/// </summary>
public sealed class McpDispatcher(UpstreamRegistry upstreams, CallPipeline pipeline, ResourceRoutes resources, UpstreamSubscriptions subscriptions, TaskBindings tasks, RequestAccessTool? access = null)
{
    public UpstreamRegistry Upstreams => upstreams;

    public async Task<JsonObject> HandleAsync(ClientRequest request, CancellationToken cancellationToken)
    {
        var method = JsonRpc.Method(request.Message)!;
        if (method == McpMethods.Ping)
        {
            return JsonRpc.Result(request.Id, new JsonObject());
        }

        if (method is McpMethods.ResourcesSubscribe or McpMethods.ResourcesUnsubscribe)
        {
            return await SubscriptionAsync(request, method, cancellationToken).ConfigureAwait(false);
        }

        if (!request.Route.IsAggregate)
        {
            return await ForwardAsync(request, request.Route.Server!, request.Message, TargetOf(request.Message), cancellationToken).ConfigureAwait(false);
        }

        return method switch
        {
            McpMethods.ToolsList => await ListAsync(request, "tools", "tools", prefixNames: true, cancellationToken).ConfigureAwait(false),
            McpMethods.PromptsList => await ListAsync(request, "prompts", "prompts", prefixNames: true, cancellationToken).ConfigureAwait(false),
            McpMethods.ResourcesList => await ListAsync(request, "resources", "resources", prefixNames: false, cancellationToken).ConfigureAwait(false),
            McpMethods.ResourcesTemplatesList => await ListAsync(request, "resourceTemplates", "resources", prefixNames: false, cancellationToken).ConfigureAwait(false),
            McpMethods.ToolsCall or McpMethods.PromptsGet => await ForwardByNameAsync(request, cancellationToken).ConfigureAwait(false),
            McpMethods.ResourcesRead => await ForwardByUriAsync(request, cancellationToken).ConfigureAwait(false),
            McpMethods.TasksGet or McpMethods.TasksUpdate or McpMethods.TasksCancel or McpMethods.TasksResult => await ForwardByTaskAsync(request, cancellationToken).ConfigureAwait(false),
            McpMethods.CompletionComplete => await CompleteAsync(request, cancellationToken).ConfigureAwait(false),
            McpMethods.LoggingSetLevel => await BroadcastAsync(request, "logging", cancellationToken).ConfigureAwait(false),
            _ => JsonRpc.Error(request.Id, JsonRpcErrorCodes.MethodNotFound,
                $"Method '{method}' cannot be routed on /mcp, which aggregates several servers; call it on /mcp/{{server}} instead."),
        };
    }

    private async Task<JsonObject> ForwardAsync(ClientRequest request, string server, JsonObject message, string? target, CancellationToken cancellationToken)
    {
        if (!upstreams.ByName.TryGetValue(server, out var upstream))
        {
            return JsonRpc.Error(request.Id, JsonRpcErrorCodes.InvalidParams, $"No upstream server is named '{server}'.", Reason(ReasonCodes.UnknownServer));
        }

        var context = new CallContext
        {
            Caller = request.Caller,
            Upstream = upstream,
            Method = JsonRpc.Method(message)!,
            Target = target,
            Request = message,
            Sink = new ClientCallSink(request.Channel, request.Caller.Key),
            Timeout = upstreams.Timeouts[server],
        };
        await pipeline.RunAsync(context, cancellationToken).ConfigureAwait(false);
        var response = context.Response!;
        if (!request.IsModern && InputRequiredBridge.IsInputRequired(response))
        {
            response = await InputRequiredBridge.ResolveForLegacyClientAsync(context, response, pipeline, request.Channel, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    private async Task<JsonObject> ForwardByNameAsync(ClientRequest request, CancellationToken cancellationToken)
    {
        var qualified = request.Message["params"]?["name"]?.GetValue<string>();
        if (qualified == RequestAccessTool.Name && JsonRpc.Method(request.Message) == McpMethods.ToolsCall && access?.MayRequest(request.Caller) == true)
        {
            return await access.CallAsync(request.Message, request.Caller, cancellationToken).ConfigureAwait(false);
        }

        if (qualified is null || !QualifiedName.TrySplit(qualified, out var server, out var name) || !upstreams.ByName.ContainsKey(server))
        {
            return JsonRpc.Error(request.Id, JsonRpcErrorCodes.InvalidParams,
                $"Unknown name '{qualified}': on /mcp every tool and prompt is named {{server}}__{{name}}; list them with tools/list or prompts/list.",
                Reason(ReasonCodes.UnknownTool));
        }

        var message = request.Message.DeepClone().AsObject();
        message["params"]!["name"] = name;
        return await ForwardAsync(request, server, message, name, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonObject> ForwardByUriAsync(ClientRequest request, CancellationToken cancellationToken)
    {
        var uri = request.Message["params"]?["uri"]?.GetValue<string>();
        if (OwnerOf(request.Route, uri) is not { } server)
        {
            return UnknownUri(request, uri);
        }

        return await ForwardAsync(request, server, request.Message, uri, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// On <c>/mcp</c> a task request names no server: it goes to the server that holds the caller's task. Whether the
    /// caller may reach it is still TaskOwnershipStage's question; an id the caller does not hold goes nowhere and gets
    /// the answer that stage gives, the same for another caller's task as for one that never existed (decision 0043).
    /// </summary>
    private async Task<JsonObject> ForwardByTaskAsync(ClientRequest request, CancellationToken cancellationToken)
    {
        var taskId = TaskMessages.TaskIdOf(request.Message);
        if (taskId is null || tasks.Find(request.Caller.Key, taskId) is not { } binding)
        {
            return JsonRpc.Error(request.Id, JsonRpcErrorCodes.InvalidParams,
                $"Unknown task '{taskId}': no task of that id was created by you through this gateway, or its time to live has passed. Use the taskId of a tools/call answer you received.",
                Reason(ReasonCodes.TaskUnknown));
        }

        return await ForwardAsync(request, binding.Upstream, request.Message, taskId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Subscribes upstream only for the first holder of (upstream, URI) and unsubscribes after the last,
    /// since upstream sessions are shared; each caller's own set decides who receives updates.
    /// </summary>
    private async Task<JsonObject> SubscriptionAsync(ClientRequest request, string method, CancellationToken cancellationToken)
    {
        var uri = request.Message["params"]?["uri"]?.GetValue<string>();
        if (request.Subscriptions is not { } held)
        {
            return JsonRpc.Error(request.Id, JsonRpcErrorCodes.MethodNotFound, $"{method} needs a session; 2026-07-28 clients use subscriptions/listen.");
        }

        if (OwnerOf(request.Route, uri) is not { } server)
        {
            return UnknownUri(request, uri);
        }

        var done = JsonRpc.Result(request.Id, new JsonObject());
        if (method == McpMethods.ResourcesSubscribe)
        {
            if (!held.TryAdd(uri!, server) || !subscriptions.Acquire(server, uri!))
            {
                return done;
            }

            var response = await ForwardAsync(request, server, request.Message, uri, cancellationToken).ConfigureAwait(false);
            if (JsonRpc.IsError(response))
            {
                held.TryRemove(uri!, out _);
                subscriptions.Release(server, uri!);
            }

            return response;
        }

        if (!held.TryRemove(uri!, out _) || !subscriptions.Release(server, uri!))
        {
            return done;
        }

        return await ForwardAsync(request, server, request.Message, uri, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops every subscription a caller still holds (session closed, listen stream ended).</summary>
    public async Task ReleaseAllAsync(Route route, Caller caller, ConcurrentDictionary<string, string> held, CancellationToken cancellationToken)
    {
        foreach (var (uri, server) in held)
        {
            held.TryRemove(uri, out _);
            if (subscriptions.Release(server, uri) && upstreams.ByName.TryGetValue(server, out var upstream) && upstream.Health.State == UpstreamState.Ready)
            {
                var unsubscribe = JsonRpc.Request($"proctor-release-{Guid.NewGuid():N}", McpMethods.ResourcesUnsubscribe, new JsonObject { ["uri"] = uri });
                var request = new ClientRequest(route, unsubscribe, caller, DetachedClientChannel.Instance, null);
                await ForwardAsync(request, server, unsubscribe, uri, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private string? OwnerOf(Route route, string? uri) =>
        uri is null ? null : route.IsAggregate ? resources.Find(uri) ?? SoleUpstreamWith("resources") : route.Server;

    private static JsonObject UnknownUri(ClientRequest request, string? uri) =>
        JsonRpc.Error(request.Id, JsonRpcErrorCodes.ResourceNotFound,
            $"No upstream is known to serve '{uri}'; list resources (resources/list, resources/templates/list) on /mcp first, or use /mcp/{{server}}.",
            Reason(ReasonCodes.UnknownTool));

    private async Task<JsonObject> CompleteAsync(ClientRequest request, CancellationToken cancellationToken)
    {
        var reference = request.Message["params"]?["ref"] as JsonObject;
        var type = reference?["type"]?.GetValue<string>();
        if (type == "ref/prompt" && reference!["name"]?.GetValue<string>() is { } qualified && QualifiedName.TrySplit(qualified, out var server, out var name))
        {
            var message = request.Message.DeepClone().AsObject();
            message["params"]!["ref"]!["name"] = name;
            return await ForwardAsync(request, server, message, name, cancellationToken).ConfigureAwait(false);
        }

        if (type == "ref/resource" && OwnerOf(request.Route, reference!["uri"]?.GetValue<string>()) is { } owner)
        {
            return await ForwardAsync(request, owner, request.Message, reference["uri"]!.GetValue<string>(), cancellationToken).ConfigureAwait(false);
        }

        return JsonRpc.Error(request.Id, JsonRpcErrorCodes.InvalidParams,
            "completion/complete on /mcp needs ref.name as {server}__{prompt} or a ref.uri listed by resources/list or resources/templates/list.");
    }

    private async Task<JsonObject> BroadcastAsync(ClientRequest request, string capability, CancellationToken cancellationToken)
    {
        var calls = new List<Task<JsonObject>>();
        foreach (var upstream in upstreams.Ready(request.Route))
        {
            if (upstream.Description?.Has(capability) == true)
            {
                calls.Add(ForwardAsync(request, upstream.Name, request.Message, null, cancellationToken));
            }
        }

        await Task.WhenAll(calls).ConfigureAwait(false);
        return JsonRpc.Result(request.Id, new JsonObject());
    }

    /// <summary>
    /// A list on <c>/mcp</c>: asks every ready upstream that offers the capability (in parallel), merges in
    /// configuration order, and encodes the upstreams that have more pages into the gateway cursor.
    /// A failing upstream drops out of the list; it is visible in /readyz and the log.
    /// </summary>
    private async Task<JsonObject> ListAsync(ClientRequest request, string itemsKey, string capability, bool prefixNames, CancellationToken cancellationToken)
    {
        var method = JsonRpc.Method(request.Message)!;
        List<(string Server, string? Cursor)> legs = [];
        if (request.Message["params"]?["cursor"]?.GetValue<string>() is { } cursor)
        {
            if (!GatewayCursor.TryDecode(cursor, out var remaining))
            {
                return JsonRpc.Error(request.Id, JsonRpcErrorCodes.InvalidParams, "Invalid cursor: pass back the nextCursor of the previous page unchanged.");
            }

            legs.AddRange(remaining.Select(r => (r.Server, (string?)r.Cursor)));
        }
        else
        {
            foreach (var upstream in upstreams.Ready(request.Route))
            {
                if (upstream.Description?.Has(capability) == true)
                {
                    legs.Add((upstream.Name, null));
                }
            }
        }

        var calls = new Task<JsonObject>[legs.Count];
        for (var i = 0; i < legs.Count; i++)
        {
            var parameters = legs[i].Cursor is null ? new JsonObject() : new JsonObject { ["cursor"] = legs[i].Cursor };
            if (request.Message["params"]?["_meta"] is JsonObject meta)
            {
                parameters["_meta"] = meta.DeepClone();
            }

            calls[i] = ForwardAsync(request, legs[i].Server, JsonRpc.Request(request.Id!.DeepClone(), method, parameters), null, cancellationToken);
        }

        await Task.WhenAll(calls).ConfigureAwait(false);
        var merged = new JsonArray();
        var next = new List<(string, string)>();
        for (var i = 0; i < legs.Count; i++)
        {
            var server = legs[i].Server;
            if (calls[i].Result["result"] is not JsonObject result)
            {
                continue;
            }

            foreach (var item in result[itemsKey] as JsonArray ?? [])
            {
                if (item is not JsonObject entry)
                {
                    continue;
                }

                var copy = entry.DeepClone().AsObject();
                if (prefixNames && copy["name"]?.GetValue<string>() is { } name)
                {
                    copy["name"] = QualifiedName.Join(server, name);
                }
                else if (copy["uri"]?.GetValue<string>() is { } uri)
                {
                    resources.RememberResource(uri, server);
                }
                else if (copy["uriTemplate"]?.GetValue<string>() is { } template)
                {
                    resources.RememberTemplate(template, server);
                }

                merged.Add(copy);
            }

            if (result["nextCursor"]?.GetValue<string>() is { } upstreamCursor)
            {
                next.Add((server, upstreamCursor));
            }
        }

        // The gateway's own tool comes first on the first page only, so that a cursor never lists it twice.
        if (method == McpMethods.ToolsList && request.Message["params"]?["cursor"] is null && access?.MayRequest(request.Caller) == true)
        {
            merged.Insert(0, RequestAccessTool.Definition());
        }

        var page = new JsonObject { [itemsKey] = merged };
        if (next.Count > 0)
        {
            page["nextCursor"] = GatewayCursor.Encode(next);
        }

        return JsonRpc.Result(request.Id, page);
    }

    private string? SoleUpstreamWith(string capability)
    {
        string? found = null;
        foreach (var upstream in upstreams.Ordered)
        {
            if (upstream.Description?.Has(capability) == true)
            {
                if (found is not null)
                {
                    return null;
                }

                found = upstream.Name;
            }
        }

        return found;
    }

    /// <summary>A tool or prompt name, a resource URI, or the task a tasks/* request names: what the ledger and the log line call the target.</summary>
    private static string? TargetOf(JsonObject message) =>
        message["params"] is JsonObject p ? (p["name"] ?? p["uri"] ?? p["taskId"])?.ToString() : null;

    private static JsonObject Reason(string code) => new() { ["reason"] = code };
}
