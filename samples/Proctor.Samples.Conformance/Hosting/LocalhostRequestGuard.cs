using System.Text.Json;

namespace Proctor.Samples.Conformance.Hosting;

/// <summary>
/// DNS rebinding protection (MCP transports spec, "Security Warning"): a browser tricked into
/// resolving an attacker's name to 127.0.0.1 still sends the attacker's Host and Origin, so any
/// request whose Host or Origin names something other than a loopback host is refused with 403.
/// Both headers are checked because a reverse proxy may rewrite Host while forwarding Origin.
/// </summary>
internal sealed class LocalhostRequestGuard(RequestDelegate next)
{
    private static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    public Task InvokeAsync(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (IsLoopback(context.Request.Host.Host) && (origin.Length == 0 || IsLoopbackOrigin(origin)))
        {
            return next(context);
        }

        return RejectAsync(context);
    }

    private static bool IsLoopback(string host) =>
        LoopbackHosts.Contains(host, StringComparer.OrdinalIgnoreCase);

    private static bool IsLoopbackOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && IsLoopback(uri.Host);

    private static Task RejectAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "application/json";
        var body = new
        {
            jsonrpc = "2.0",
            id = (object?)null,
            error = new { code = -32000, message = "Forbidden: Host and Origin must name a loopback address." },
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
