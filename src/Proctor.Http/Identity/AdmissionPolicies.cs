using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection;

namespace Proctor.Http.Identity;

/// <summary>
/// Admission by ASP.NET Core (decision 0033): the <c>Proctor</c> scheme authenticates, and one policy per kind of
/// endpoint says what a caller must hold. Only endpoints with a policy authenticate: <c>/healthz</c> and the
/// protected resource metadata never read a credential.
/// </summary>
internal static class AdmissionPolicies
{
    /// <summary><c>/mcp</c>, <c>/mcp/{server}</c>: the addressed upstream's required scopes.</summary>
    public const string Mcp = "proctor.mcp";

    /// <summary><c>/api</c> and the details of <c>/readyz</c>: the auditor or admin role.</summary>
    public const string LedgerReader = "proctor.ledger-reader";

    /// <summary><c>/api/approvals</c>: the approver, auditor or admin role (deciding also needs approver).</summary>
    public const string Approvals = "proctor.approvals";

    /// <summary><c>/api/access</c>: any verified person (each endpoint asks for more where it needs it).</summary>
    public const string Person = "proctor.person";

    private const string SuppressAutoDefaultScheme = "Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme";

    /// <summary>Registers the scheme, the policies and their handlers; <see cref="BearerAuthentication"/> is registered by the caller.</summary>
    public static IServiceCollection AddProctorAdmission(this IServiceCollection services)
    {
        // ASP.NET Core makes a lone scheme the default, and its authentication middleware then checks the credential of
        // every request, /healthz's too, before a policy asks again: only the policies may ask. The switch is the
        // framework's own (read when the options are made) and has no other effect.
        AppContext.SetSwitch(SuppressAutoDefaultScheme, true);
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ProctorAuthenticationHandler>(ProctorAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Mcp, policy => policy.AddAuthenticationSchemes(ProctorAuthenticationHandler.SchemeName).AddRequirements(UpstreamScopeRequirement.Instance))
            .AddPolicy(LedgerReader, policy => policy.AddAuthenticationSchemes(ProctorAuthenticationHandler.SchemeName).AddRequirements(LedgerReaderRequirement.Instance))
            .AddPolicy(Approvals, policy => policy.AddAuthenticationSchemes(ProctorAuthenticationHandler.SchemeName).AddRequirements(ApprovalsRequirement.Instance))
            .AddPolicy(Person, policy => policy.AddAuthenticationSchemes(ProctorAuthenticationHandler.SchemeName).AddRequirements(PersonRequirement.Instance));
        services.AddSingleton<IAuthorizationHandler, UpstreamScopeHandler>();
        services.AddSingleton<IAuthorizationHandler, LedgerReaderHandler>();
        services.AddSingleton<IAuthorizationHandler, ApprovalsHandler>();
        services.AddSingleton<IAuthorizationHandler, PersonHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AdmissionResultHandler>();
        return services;
    }
}
