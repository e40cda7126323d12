using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Proctor.Configuration;
using Proctor.Http.ClientFaults;
using Proctor.Http.Health;
using Proctor.Http.Lifecycle;
using Proctor.Http.Limits;
using Proctor.Http.Identity;
using Proctor.Identity.AgentKeys;
using Proctor.Identity.Tokens;
using Proctor.Http.Mcp;
using Proctor.Mcp.Pipeline.Evidence;
using Route = Proctor.Mcp.Routing.Route;

namespace Proctor.Http;

public static class McpEndpointRouteBuilderExtensions
{
    /// <summary>Maps <c>/mcp</c>, <c>/mcp/{server}</c>, <c>/healthz</c> and <c>/readyz</c>.</summary>
    public static IEndpointRouteBuilder MapProctorGateway(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/mcp", context => Mcp(context).PostAsync(context, Route.Aggregate));
        endpoints.MapGet("/mcp", context => Mcp(context).GetAsync(context, Route.Aggregate));
        endpoints.MapDelete("/mcp", context => Mcp(context).DeleteAsync(context, Route.Aggregate));
        endpoints.MapPost("/mcp/{server}", context => Mcp(context).PostAsync(context, ServerRoute(context)));
        endpoints.MapGet("/mcp/{server}", context => Mcp(context).GetAsync(context, ServerRoute(context)));
        endpoints.MapDelete("/mcp/{server}", context => Mcp(context).DeleteAsync(context, ServerRoute(context)));

        var metadata = endpoints.ServiceProvider.GetRequiredService<ProtectedResourceMetadata>();
        endpoints.MapGet(ProtectedResourceMetadata.Path, metadata.WriteAsync);
        endpoints.MapGet(ProtectedResourceMetadata.Path + "/{**resource}", metadata.WriteAsync);

        endpoints.MapGet("/healthz", context => Health(context).Live(context));
        endpoints.MapGet("/readyz", context => Health(context).ReadyAsync(context));
        return endpoints;
    }

    // Resolved per request, not when mapping: they route over the upstreams, which exist once the host has started them.
    private static McpEndpoint Mcp(HttpContext context) => context.RequestServices.GetRequiredService<McpEndpoint>();

    private static HealthEndpoints Health(HttpContext context) => context.RequestServices.GetRequiredService<HealthEndpoints>();

    public static IServiceCollection AddProctorHttp(
        this IServiceCollection services,
        McpHttpOptions options,
        IdentitySettings? identity,
        JwtAuthenticator? authenticator,
        AgentKeyAuthenticator? agentKeys = null,
        IReadOnlyDictionary<string, UpstreamModel>? upstreams = null)
    {
        services.AddSingleton(options);
        services.AddSingleton(sp => new BearerAuthentication(identity, authenticator, agentKeys, upstreams, sp.GetService<IAccessRecorder>(), sp.GetService<ILogger<BearerAuthentication>>()));
        services.AddSingleton(new ProtectedResourceMetadata(identity));
        services.AddSingleton<OriginPolicy>();
        services.AddSingleton<McpEndpoint>();
        services.AddSingleton<IReadinessSource>(sp => new UpstreamReadiness(sp.GetRequiredService<Proctor.Mcp.Routing.UpstreamRegistry>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<HealthEndpoints>();
        services.AddSingleton<GatewayDrain>();
        services.AddSingleton(sp => new CallLimiter(options.Limits, sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton(sp => new LogThrottle(sp.GetService<TimeProvider>() ?? TimeProvider.System, LogThrottle.DefaultWindow));
        services.AddSingleton<LimitMetrics>();
        services.AddSingleton<RequestAdmission>();
        return services;
    }

    private static Route ServerRoute(HttpContext context) => new((string)context.Request.RouteValues["server"]!);
}
