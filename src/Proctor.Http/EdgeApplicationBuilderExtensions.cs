using Microsoft.AspNetCore.Builder;
using Proctor.Http.ClientFaults;
using Proctor.Http.Lifecycle;

namespace Proctor.Http;

public static class EdgeApplicationBuilderExtensions
{
    /// <summary>
    /// The middleware in front of every endpoint, outermost first: client faults are answered and logged briefly
    /// (whatever fails inside), then the drain counts, cancels and, once shutdown began, refuses requests.
    /// </summary>
    public static IApplicationBuilder UseProctorEdge(this IApplicationBuilder app) =>
        app.UseMiddleware<ClientFaultMiddleware>().UseMiddleware<DrainMiddleware>();
}
