using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Proctor.Configuration.Models;
using Proctor.Http.Health;
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
        var mcp = endpoints.ServiceProvider.GetRequiredService<McpEndpoint>();
        endpoints.MapPost("/mcp", context => mcp.PostAsync(context, Route.Aggregate));
        endpoints.MapGet("/mcp", context => mcp.GetAsync(context, Route.Aggregate));
        endpoints.MapDelete("/mcp", context => mcp.DeleteAsync(context, Route.Aggregate));
        endpoints.MapPost("/mcp/{server}", context => mcp.PostAsync(context, ServerRoute(context)));
        endpoints.MapGet("/mcp/{server}", context => mcp.GetAsync(context, ServerRoute(context)));
        endpoints.MapDelete("/mcp/{server}", context => mcp.DeleteAsync(context, ServerRoute(context)));

        var metadata = endpoints.ServiceProvider.GetRequiredService<ProtectedResourceMetadata>();
        endpoints.MapGet(ProtectedResourceMetadata.Path, metadata.WriteAsync);
        endpoints.MapGet(ProtectedResourceMetadata.Path + "/{**resource}", metadata.WriteAsync);

        var health = endpoints.ServiceProvider.GetRequiredService<HealthEndpoints>();
        endpoints.MapGet("/healthz", health.Live);
        endpoints.MapGet("/readyz", health.ReadyAsync);
        return endpoints;
    }

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
        services.AddSingleton<HealthEndpoints>();
        return services;
    }

    private static Route ServerRoute(HttpContext context) => new((string)context.Request.RouteValues["server"]!);
}
