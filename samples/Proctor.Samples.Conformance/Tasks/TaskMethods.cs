using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Proctor.Samples.Conformance.Tasks;

/// <summary>
/// tasks/get, tasks/update and tasks/cancel (SEP-2663). Each names its task in <c>taskId</c>,
/// which the SDK also checks against the <c>Mcp-Name</c> header. tasks/update and tasks/cancel
/// answer an empty <c>{resultType: "complete"}</c> ack; the new status is seen by the next
/// tasks/get. The removed v1 methods (tasks/result, tasks/list) are not served, so they answer
/// -32601.
/// </summary>
internal sealed class TaskMethods(TaskStore store)
{
    public IEnumerable<McpServerRequestHandler> Handlers() =>
    [
        new() { Method = TasksExtension.Get, RoutingNameParameter = "taskId", Handler = (request, _) => ValueTask.FromResult<JsonNode?>(Get(request.JsonRpcRequest)) },
        new() { Method = TasksExtension.Update, RoutingNameParameter = "taskId", Handler = (request, _) => ValueTask.FromResult<JsonNode?>(Update(request.JsonRpcRequest)) },
        new() { Method = TasksExtension.Cancel, RoutingNameParameter = "taskId", Handler = (request, _) => ValueTask.FromResult<JsonNode?>(Cancel(request.JsonRpcRequest)) },
    ];

    private JsonObject Get(JsonRpcRequest request) => Find(request).Describe();

    private JsonObject Update(JsonRpcRequest request)
    {
        var task = Find(request);
        IDictionary<string, InputResponse>? responses;
        try
        {
            responses = request.Params?["inputResponses"]?.Deserialize(McpJsonUtilities.DefaultOptions.GetTypeInfo<IDictionary<string, InputResponse>>());
        }
        catch (JsonException ex)
        {
            throw new McpProtocolException($"tasks/update: inputResponses is not a map of answers: {ex.Message}", ex, McpErrorCode.InvalidParams);
        }

        task.Answer(responses ?? new Dictionary<string, InputResponse>());
        return Ack();
    }

    private JsonObject Cancel(JsonRpcRequest request)
    {
        Find(request).Cancel();
        return Ack();
    }

    private FixtureTask Find(JsonRpcRequest request)
    {
        TasksExtension.RequireNegotiated(request);
        return store.Find(request.Params?["taskId"] is JsonValue id && id.TryGetValue(out string? taskId) ? taskId : null);
    }

    private static JsonObject Ack() => new() { ["resultType"] = "complete" };
}
