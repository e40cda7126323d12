using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Proctor.Http.Identity;

namespace Proctor.Http.Tests.Identity;

/// <summary>A request through the gateway's admission as <c>/mcp</c> and <c>/mcp/{server}</c> have it: the <c>Proctor</c> scheme and the MCP policy.</summary>
internal static class Admission
{
    /// <summary>True when the request reaches the endpoint; otherwise the refusal is written on the response.</summary>
    public static Task<bool> AdmitAsync(BearerAuthentication bearer, HttpContext context, string? server) =>
        AdmitAsync(bearer, context, server, AdmissionPolicies.Mcp, RefusalFormat.JsonRpc);

    /// <summary>The same through the <c>/api</c> policy and its answers.</summary>
    public static Task<bool> AdmitReadAsync(BearerAuthentication bearer, HttpContext context) =>
        AdmitAsync(bearer, context, null, AdmissionPolicies.LedgerReader, RefusalFormat.Api);

    private static async Task<bool> AdmitAsync(BearerAuthentication bearer, HttpContext context, string? server, string policy, RefusalFormat format)
    {
        var services = new ServiceCollection().AddLogging().AddRouting().AddSingleton(bearer);
        services.AddProctorAdmission();
        await using var provider = services.BuildServiceProvider();
        context.RequestServices = provider;
        if (server is not null)
        {
            context.Request.RouteValues["server"] = server;
        }

        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(new AuthorizeAttribute(policy), format), policy));
        var admitted = false;
        var authorization = new AuthorizationMiddleware(_ =>
        {
            admitted = true;
            return Task.CompletedTask;
        }, provider.GetRequiredService<IAuthorizationPolicyProvider>(), provider);
        await authorization.Invoke(context);
        return admitted;
    }
}
