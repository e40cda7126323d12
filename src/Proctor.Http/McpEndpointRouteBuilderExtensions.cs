using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Proctor.Configuration.Models;
using Proctor.Http.ClientFaults;
using Proctor.Http.Health;
using Proctor.Http.Identity;
using Proctor.Http.Lifecycle;
using Proctor.Http.Limits;
using Proctor.Http.Mcp;
using Proctor.Identity.AgentKeys;
using Proctor.Identity.Tokens;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;
using Route = Proctor.Mcp.Routing.Route;

namespace Proctor.Http;

public static class McpEndpointRouteBuilderExtensions
{
    /// <summary>Maps <c>/mcp</c>, <c>/mcp/{server}</c>, <c>/healthz</c> and <c>/readyz</c>.</summary>
    public static IEndpointRouteBuilder MapProctorGateway(this IEndpointRouteBuilder endpoints)
    {
        var mcp = endpoints.MapGroup("/mcp").RequireAuthorization(AdmissionPolicies.Mcp).WithMetadata(RefusalFormat.JsonRpc);
        mcp.MapPost("", context => Mcp(context).PostAsync(context, Route.Aggregate));
        mcp.MapGet("", context => Mcp(context).GetAsync(context, Route.Aggregate));
        mcp.MapDelete("", context => Mcp(context).DeleteAsync(context, Route.Aggregate));
        mcp.MapPost("/{server}", context => Mcp(context).PostAsync(context, ServerRoute(context)));
        mcp.MapGet("/{server}", context => Mcp(context).GetAsync(context, ServerRoute(context)));
        mcp.MapDelete("/{server}", context => Mcp(context).DeleteAsync(context, ServerRoute(context)));

        var metadata = endpoints.ServiceProvider.GetRequiredService<ProtectedResourceMetadata>();
        endpoints.MapGet(ProtectedResourceMetadata.Path, metadata.WriteAsync);
        endpoints.MapGet(ProtectedResourceMetadata.Path + "/{**resource}", metadata.WriteAsync);

        endpoints.MapGet("/healthz", context => Health(context).Live(context));
        endpoints.MapGet("/readyz", context => Health(context).ReadyAsync(context)).WithMetadata(RefusalFormat.Api);
        return endpoints;
    }

    // Resolved per request, not when mapping: they route over the upstreams, which exist once the host has started them.
    private static McpEndpoint Mcp(HttpContext context) => context.RequestServices.GetRequiredService<McpEndpoint>();

    private static HealthEndpoints Health(HttpContext context) => context.RequestServices.GetRequiredService<HealthEndpoints>();

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
        services.AddProctorAdmission();
        services.AddSingleton(new ProtectedResourceMetadata(identity));
        services.AddSingleton<OriginPolicy>();
        services.AddSingleton<McpEndpoint>();
        services.AddSingleton<IReadinessSource>(sp => new UpstreamReadiness(sp.GetRequiredService<Proctor.Mcp.Routing.UpstreamRegistry>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        if (identity is not null)
        {
            services.AddSingleton<IReadinessSource>(sp => new IdentityReadiness(sp.GetRequiredService<IIdentityHealth>()));
        }

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
