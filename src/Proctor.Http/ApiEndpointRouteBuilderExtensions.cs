using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Proctor.Http.Api;
using Proctor.Http.Identity;

namespace Proctor.Http;

public static class ApiEndpointRouteBuilderExtensions
{
    /// <summary>Maps the REST API under <c>/api</c> (docs/api.md): the examiner's reads, and approvals when registered.</summary>
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
        reads.MapGet("/audit/events", api.SearchEventsAsync);
        if (endpoints.ServiceProvider.GetService<EvidenceApi>() is { } evidence)
        {
            reads.MapGet("/evidence/export", evidence.ExportAsync);
        }

        if (endpoints.ServiceProvider.GetService<ApprovalsApi>() is { } approvals)
        {
            var decisions = endpoints.MapGroup("/api/approvals").RequireAuthorization(AdmissionPolicies.Approvals).WithMetadata(RefusalFormat.Api);
            decisions.MapGet("", approvals.ListAsync);
            decisions.MapGet("/{id}", approvals.ShowAsync);
            decisions.MapPost("/{id}/approve", approvals.ApproveAsync);
            decisions.MapPost("/{id}/deny", approvals.DenyAsync);
        }

        if (endpoints.ServiceProvider.GetService<ApprovalStatusPage>() is { } page)
        {
            // No policy: the link carries no credential; the page decides itself what a token adds (decision 0042).
            endpoints.MapGet("/approvals/{id}", page.ShowAsync);
        }

        if (endpoints.ServiceProvider.GetService<AccessApi>() is { } access)
        {
            var grants = endpoints.MapGroup("/api/access").RequireAuthorization(AdmissionPolicies.Person).WithMetadata(RefusalFormat.Api);
            grants.MapGet("", access.ListAsync);
            grants.MapPost("", access.RequestAsync);
            grants.MapPost("/break-glass", access.BreakGlassAsync);
            grants.MapGet("/{id}", access.ShowAsync);
            grants.MapPost("/{id}/approve", access.ApproveAsync);
            grants.MapPost("/{id}/deny", access.DenyAsync);
            grants.MapPost("/{id}/revoke", access.RevokeAsync);
            var reviews = endpoints.MapGroup("/api/reviews").RequireAuthorization(AdmissionPolicies.Approvals).WithMetadata(RefusalFormat.Api);
            reviews.MapGet("", access.ReviewsAsync);
            reviews.MapPost("/{id}/close", access.CloseReviewAsync);
        }

        endpoints.Map("/api/{**rest}", context => ApiReplies.ErrorAsync(context, StatusCodes.Status404NotFound, "unknown_endpoint",
            "No such endpoint; the API serves GET /api/sessions, /api/sessions/{id}, /api/sessions/{id}/replay, /api/audit/checkpoint, /api/audit/events, /api/audit/events/{id}/proof, /api/audit/verify, /api/evidence/export, /api/approvals and /api/approvals/{id}, /api/access, /api/access/{id} and /api/reviews, and POST /api/approvals/{id}/approve and /api/approvals/{id}/deny, /api/access, /api/access/break-glass, /api/access/{id}/approve|deny|revoke and /api/reviews/{id}/close (docs/api.md)."));
        return endpoints;
    }

    /// <summary>Registers the API; call after <c>AddProctorHttp</c>, whose admission (scheme and policies) it shares.</summary>
    internal static IServiceCollection AddProctorApi(this IServiceCollection services, ExaminerSources sources, IAuditReadRecorder recorder)
    {
        services.AddSingleton<ApiAccess>();
        services.AddSingleton(new ExaminerApi(recorder, sources));
        return services;
    }

    /// <summary>Adds <c>/api/evidence/export</c> (docs/evidence.md) over the exporter the host registered.</summary>
    internal static IServiceCollection AddProctorEvidenceApi(this IServiceCollection services, IAuditReadRecorder reads, IEvidenceExportRecorder exports)
    {
        services.AddSingleton(sp => new EvidenceApi(reads, exports, sp.GetRequiredService<Proctor.Evidence.IEvidenceExporter>()));
        return services;
    }

    /// <summary>Adds <c>/api/approvals</c> and the status page <c>/approvals/{id}</c> over the gateway's approval desk (docs/approvals.md).</summary>
    internal static IServiceCollection AddProctorApprovalsApi(this IServiceCollection services, Func<IServiceProvider, ApprovalsApi> create, Func<IServiceProvider, ApprovalStatusPage> page)
    {
        services.AddSingleton(create);
        services.AddSingleton(page);
        return services;
    }

    /// <summary>Adds <c>/api/access</c> and <c>/api/reviews</c> over the gateway's grants desk (docs/access.md).</summary>
    internal static IServiceCollection AddProctorAccessApi(this IServiceCollection services, Func<IServiceProvider, AccessApi> create)
    {
        services.AddSingleton(create);
        return services;
    }
}
