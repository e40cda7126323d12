using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Proctor.Configuration.Models;
using Proctor.Http.Api;
using Proctor.Http.Identity;

namespace Proctor.Http;

public static class ApiEndpointRouteBuilderExtensions
{
    /// <summary>Maps the read-only REST API under <c>/api</c> (docs/api.md).</summary>
    public static IEndpointRouteBuilder MapProctorApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.ServiceProvider.GetRequiredService<ExaminerApi>();
        endpoints.MapGet("/api/sessions", api.ListSessionsAsync);
        endpoints.MapGet("/api/sessions/{id}", api.ShowSessionAsync);
        endpoints.MapGet("/api/sessions/{id}/replay", api.ReplaySessionAsync);
        endpoints.MapGet("/api/audit/checkpoint", api.CheckpointAsync);
        endpoints.MapGet("/api/audit/events/{id}/proof", api.ProofAsync);
        endpoints.MapGet("/api/audit/verify", api.VerifyAsync);
        endpoints.Map("/api/{**rest}", context => ApiReplies.ErrorAsync(context, StatusCodes.Status404NotFound, "unknown_endpoint",
            "No such endpoint; the API serves GET /api/sessions, /api/sessions/{id}, /api/sessions/{id}/replay, /api/audit/checkpoint, /api/audit/events/{id}/proof and /api/audit/verify (docs/api.md)."));
        return endpoints;
    }

    /// <summary>Registers the API; call after <c>AddProctorHttp</c>, whose bearer authentication it shares.</summary>
    internal static IServiceCollection AddProctorApi(this IServiceCollection services, IdentitySettings? identity, ExaminerSources sources, IAuditReadRecorder recorder)
    {
        services.AddSingleton(sp => new ApiAccess(identity, sp.GetRequiredService<BearerAuthentication>()));
        services.AddSingleton(sp => new ExaminerApi(sp.GetRequiredService<ApiAccess>(), recorder, sources));
        return services;
    }
}
