using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Proctor.Samples.Conformance.Prompts;
using Proctor.Samples.Conformance.Protocol;
using Proctor.Samples.Conformance.Resources;
using Proctor.Samples.Conformance.Subscriptions;
using Proctor.Samples.Conformance.Tasks;
using Proctor.Samples.Conformance.Tools;

namespace Proctor.Samples.Conformance;

/// <summary>Registers the MCP server the official conformance suite expects, for both protocol eras.</summary>
internal static class ConformanceFixture
{
    public const string EndpointPath = "/mcp";

    public static IServiceCollection AddConformanceFixture(this IServiceCollection services)
    {
        var shared = new SharedPrimitives();
        services.AddSingleton(shared);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RequestStateProtector>();
        services.AddSingleton<DynamicPrimitives>();
        services.AddSingleton<WatchedResource>();
        services.AddSingleton<ResourceSubscriptions>();
        services.AddHostedService<WatchedResourceTicker>();
        services.AddDistributedMemoryCache();
        services.AddSingleton<TaskStore>();
        services.AddSingleton<TaskMethods>();
        services.AddSingleton<TaskDispatch>();
        services.AddSingleton<IConfigureOptions<McpServerOptions>, TasksOptionsSetup>();

        // Must run before the SDK's own options setup, which fills whatever collections it finds.
        services.Configure<McpServerOptions>(options =>
        {
            options.ServerInfo = new Implementation { Name = "proctor-conformance-fixture", Version = "1.0.0" };
            options.ToolCollection = shared.Tools;
            options.PromptCollection = shared.Prompts;
            options.ResourceCollection = shared.Resources;
        });

        var mcp = services.AddMcpServer()
            .WithHttpTransport(options =>
            {
                // initialize-era clients get a session (Mcp-Session-Id, GET stream, DELETE);
                // 2026-07-28 clients are served statelessly on the same endpoint.
                options.SessionMode = HttpServerSessionMode.StatefulForInitializeClients;
#pragma warning disable MCPEXP002 // The only hook that sees a session end, which is when its subscriptions must go.
                options.RunSessionHandler = RunSessionAsync;
#pragma warning restore MCPEXP002
            })
            .WithTools(
            [
                typeof(ContentTools),
                typeof(NotificationTools),
                typeof(ClientInputTools),
                typeof(InputRequiredTools),
                typeof(RequestStateTools),
                typeof(CapabilityDiagnosticTools),
                typeof(ListChangeTools),
                typeof(ReconnectionTool),
                typeof(HeaderParameterTool),
                typeof(TaskTools),
            ])
            .WithTools([JsonSchemaTool.Create()])
            .WithPrompts([typeof(ConformancePrompts), typeof(InputRequiredPrompt)])
            .WithResources([typeof(StaticResources), typeof(TemplateResources), typeof(WatchedResourceEndpoint)])
            .WithReadResourceHandler(MissingResource.ReadAsync)
            .WithSubscribeToResourcesHandler((context, cancellationToken) =>
                context.Services!.GetRequiredService<ResourceSubscriptions>().SubscribeAsync(context, cancellationToken))
            .WithUnsubscribeFromResourcesHandler((context, cancellationToken) =>
                context.Services!.GetRequiredService<ResourceSubscriptions>().UnsubscribeAsync(context, cancellationToken))
            .WithSubscriptionsListenHandler(ListenStream.HandleAsync)
            .WithCompleteHandler(Completions.CompleteAsync)
            .WithRequestFilters(filters => filters.AddCachingHints())
            .WithMessageFilters(filters => filters.AddDiscoverAllRevisions());

#pragma warning disable MCP9006 // Stream resumption (Last-Event-ID) serves the initialize-era sessions this fixture exists to test.
        mcp.WithDistributedCacheEventStreamStore();
#pragma warning restore MCP9006

        return services;
    }

    private static async Task RunSessionAsync(HttpContext context, McpServer server, CancellationToken cancellationToken)
    {
        try
        {
            await server.RunAsync(cancellationToken);
        }
        finally
        {
            if (!string.IsNullOrEmpty(server.SessionId))
            {
                // Not context.RequestServices: the request that opened the session is long gone.
                server.Services!.GetRequiredService<ResourceSubscriptions>().Forget(server.SessionId);
            }
        }
    }
}
