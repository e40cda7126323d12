using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Proctor.Configuration;
using Proctor.Http.Health;
using Proctor.Http.Identity;
using Proctor.Identity.AgentKeys;
using Proctor.Identity.Tokens;
using Proctor.Http.Mcp;
using Proctor.Mcp.Pipeline;
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
        AgentKeyAuthenticator? agentKeys = null,
        IReadOnlyDictionary<string, UpstreamModel>? upstreams = null)
    {
        services.AddSingleton(options);
        if (identity is not null)
        {
            // Built from the container so that it logs (issuer key fetches) and is the readiness source for /readyz.
            services.AddSingleton(sp => new JwtAuthenticator(identity, sp.GetRequiredService<HttpClient>(), sp.GetService<ILogger<JwtAuthenticator>>(), sp.GetService<TimeProvider>()));
            services.AddSingleton<IIdentityHealth>(sp => sp.GetRequiredService<JwtAuthenticator>());
        }

        services.AddSingleton(sp => new BearerAuthentication(identity, sp.GetService<JwtAuthenticator>(), agentKeys, upstreams, sp.GetService<IAccessRecorder>(), sp.GetService<ILogger<BearerAuthentication>>(), sp.GetService<GatewayMetrics>(), sp.GetService<CallTelemetry>()));
        services.AddSingleton(new ProtectedResourceMetadata(identity));
        services.AddSingleton<OriginPolicy>();
        services.AddSingleton<McpEndpoint>();
        services.AddSingleton<HealthEndpoints>();
        return services;
    }

    private static Route ServerRoute(HttpContext context) => new((string)context.Request.RouteValues["server"]!);
}
