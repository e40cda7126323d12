using Microsoft.AspNetCore.Builder;
using Proctor.Http.ClientFaults;
using Proctor.Http.Lifecycle;
using Proctor.Http.Mcp;

namespace Proctor.Http;

public static class EdgeApplicationBuilderExtensions
{
    /// <summary>
    /// The middleware in front of every endpoint, outermost first: client faults are answered and logged briefly
    /// (whatever fails inside), then the drain counts, cancels and, once shutdown began, refuses requests; then, once
    /// the route is known, the MCP origin check, authentication and the endpoint's authorization policy (decision 0033).
    /// </summary>
    public static IApplicationBuilder UseProctorEdge(this IApplicationBuilder app) =>
        app.UseMiddleware<ClientFaultMiddleware>()
            .UseMiddleware<DrainMiddleware>()
            .UseRouting()
            .UseMiddleware<OriginMiddleware>()
            .UseAuthentication()
            .UseAuthorization();
}
