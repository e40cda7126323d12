using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Proctor.Http.ClientFaults;

/// <summary>
/// Failures a client causes by how it sends, not by what: a body that arrives too slowly (Kestrel's 408), one cut
/// short or malformed (400), a connection closed or reset mid-request. They are not the gateway's errors, so they
/// get no stack trace: one short warning a minute per kind (with the count of the others, logged at Debug), and a
/// clean status when the response has not started. Unhandled, each would be a 1.4 KB error line that any client
/// could repeat at will.
/// </summary>
internal sealed partial class ClientFaultMiddleware(RequestDelegate next, LogThrottle throttle, ILogger<ClientFaultMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            Note(context, ex.StatusCode == StatusCodes.Status408RequestTimeout ? "slow request body" : "malformed or truncated request", ex.StatusCode);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            Note(context, "client closed the connection", StatusCodes.Status400BadRequest);
        }
    }

    private void Note(HttpContext context, string fault, int status)
    {
        if (!context.Response.HasStarted)
        {
            context.Response.StatusCode = status;
        }

        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.ShouldLog(fault, out var unlogged))
        {
            Log.Fault(logger, fault, context.Request.Method, context.Request.Path.Value ?? "", client, unlogged);
        }
        else
        {
            Log.FaultAgain(logger, fault, context.Request.Method, context.Request.Path.Value ?? "", client);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2420, Level = LogLevel.Warning, Message = "Client request ended early: {Fault} ({Method} {Path} from {Client}); {Unlogged} more since the last such line, logged at Debug")]
        public static partial void Fault(ILogger logger, string fault, string method, string path, string client, long unlogged);

        [LoggerMessage(EventId = 2421, Level = LogLevel.Debug, Message = "Client request ended early: {Fault} ({Method} {Path} from {Client})")]
        public static partial void FaultAgain(ILogger logger, string fault, string method, string path, string client);
    }
}
