using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Proctor.Http.Api;
using Proctor.Http.Identity;

namespace Proctor.Http;

public static class ApiEndpointRouteBuilderExtensions
{
    /// <summary>Maps the read-only REST API under <c>/api</c> (docs/api.md).</summary>
    public static IEndpointRouteBuilder MapProctorApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.ServiceProvider.GetRequiredService<ExaminerApi>();
        var reads = endpoints.MapGroup("/api").RequireAuthorization(AdmissionPolicies.LedgerReader).WithMetadata(RefusalFormat.Api);
        reads.MapGet("/sessions", api.ListSessionsAsync);
        reads.MapGet("/sessions/{id}", api.ShowSessionAsync);
        reads.MapGet("/sessions/{id}/replay", api.ReplaySessionAsync);
        reads.MapGet("/audit/checkpoint", api.CheckpointAsync);
        reads.MapGet("/audit/events/{id}/proof", api.ProofAsync);
        reads.MapGet("/audit/verify", api.VerifyAsync);
        endpoints.Map("/api/{**rest}", context => ApiReplies.ErrorAsync(context, StatusCodes.Status404NotFound, "unknown_endpoint",
            "No such endpoint; the API serves GET /api/sessions, /api/sessions/{id}, /api/sessions/{id}/replay, /api/audit/checkpoint, /api/audit/events/{id}/proof and /api/audit/verify (docs/api.md)."));
        return endpoints;
    }

    /// <summary>Registers the API; call after <c>AddProctorHttp</c>, whose admission (scheme and policies) it shares.</summary>
    internal static IServiceCollection AddProctorApi(this IServiceCollection services, ExaminerSources sources, IAuditReadRecorder recorder)
    {
        services.AddSingleton<ApiAccess>();
        services.AddSingleton(new ExaminerApi(recorder, sources));
        return services;
    }
}
