using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Proctor.Samples.Conformance.Tasks;

/// <summary>
/// Serves the tasks extension on every server instance (one per stateless request): advertises
/// it under capabilities.extensions, adds the tasks/* methods, and puts the dispatch decision
/// around the tool pipeline, where it runs before the tool does.
/// </summary>
internal sealed class TasksOptionsSetup(TaskMethods methods, TaskDispatch dispatch) : IConfigureOptions<McpServerOptions>
{
    public void Configure(McpServerOptions options)
    {
        options.Capabilities ??= new ServerCapabilities();
        options.Capabilities.Extensions ??= new Dictionary<string, object>();
        options.Capabilities.Extensions[TasksExtension.Id] = new JsonObject();

        options.RequestHandlers ??= [];
        foreach (var handler in methods.Handlers())
        {
            options.RequestHandlers.Add(handler);
        }

        options.Filters.Request.CallToolWithAlternateFilters.Add(dispatch.InvokeAsync);
    }
}
