using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Proctor.Http.ClientFaults;
using Proctor.Http.Lifecycle;
using Proctor.Http.Mcp;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Sessions;

namespace Proctor.Http.Limits;

/// <summary>
/// Whether a parsed JSON-RPC request may start: not while the gateway drains (503), not over the caller's
/// identity's limits (429 with <c>Retry-After</c>), and a new session not over the session limits. Each refusal
/// names the limit's configuration key and what to do. Refusals are not ledger events: like unauthenticated
/// 401s, anyone over a limit could otherwise grow the ledger at will. They are counted and logged, throttled.
/// </summary>
internal sealed partial class RequestAdmission(CallLimiter limiter, GatewayDrain drain, LimitMetrics metrics, LogThrottle throttle, ILogger<RequestAdmission> logger)
{
    /// <summary>Admits a request, or writes its refusal and returns false. Dispose the lease when the request ends.</summary>
    public async ValueTask<(bool Admitted, CallAdmission Lease)> AdmitAsync(HttpContext context, Caller caller, JsonObject message)
    {
        if (drain.IsDraining)
        {
            await DrainMiddleware.RefuseAsync(context, message["id"]).ConfigureAwait(false);
            return (false, default);
        }

        var identity = IdentityKeys.Of(caller);
        var lease = limiter.Admit(identity, holdsSlot: JsonRpc.Method(message) != McpMethods.SubscriptionsListen);
        switch (lease.Refused)
        {
            case null:
                return (true, lease);
            case CallLimit.ConcurrentCalls:
                // A slot frees when one of the caller's own calls ends, which the gateway cannot predict: the smallest wait HTTP can say.
                await RefuseAsync(context, message["id"], LimitMetrics.MaxConcurrentCallsPerIdentity, identity, ReasonCodes.ConcurrentCallsLimit, TimeSpan.FromSeconds(1),
                    $"Too many calls in flight: your identity already has {limiter.Limits.MaxConcurrentCallsPerIdentity} calls running at this gateway (gateway.maxConcurrentCallsPerIdentity). Wait for one to finish, then retry; other identities are not affected.").ConfigureAwait(false);
                break;
            default:
                await RefuseAsync(context, message["id"], LimitMetrics.MaxCallsPerSecondPerIdentity, identity, ReasonCodes.CallRateLimit, lease.RetryAfter ?? TimeSpan.FromSeconds(1),
                    $"Too many calls: your identity started {limiter.Limits.MaxCallsPerSecondPerIdentity} calls within one second at this gateway (gateway.maxCallsPerSecondPerIdentity). Retry after the Retry-After header's seconds; other identities are not affected.").ConfigureAwait(false);
                break;
        }

        return (false, default);
    }

    /// <summary>Writes why <c>initialize</c> opened no session: 429 for the identity's share, 503 when every session is taken.</summary>
    public Task RefuseSessionAsync(HttpContext context, JsonNode? id, SessionOpening opening, ClientSessionStore sessions, Caller caller)
    {
        var identity = IdentityKeys.Of(caller);
        if (opening.Refused == SessionLimit.PerIdentity)
        {
            var wait = opening.RetryAfter ?? sessions.IdleTimeout;
            return RefuseAsync(context, id, LimitMetrics.MaxSessionsPerIdentity, identity, ReasonCodes.SessionsPerIdentityLimit, wait,
                $"Your identity already holds {sessions.CapacityPerIdentity} open sessions at this gateway (gateway.maxSessionsPerIdentity). End sessions you no longer use (DELETE with their Mcp-Session-Id); otherwise the least recently used one expires in {Math.Ceiling(wait.TotalMinutes)} min.");
        }

        metrics.Refused(LimitMetrics.MaxSessions);
        LogRefusal(LimitMetrics.MaxSessions, identity);
        return HttpReplies.JsonAsync(context, StatusCodes.Status503ServiceUnavailable, JsonRpc.Error(id, JsonRpcErrorCodes.Refused,
            $"The gateway holds its limit of {sessions.Capacity} open sessions across all identities (gateway.maxSessions); retry later or on another instance, and end sessions you no longer use (DELETE).",
            new JsonObject { ["reason"] = ReasonCodes.SessionsLimit }));
    }

    private Task RefuseAsync(HttpContext context, JsonNode? id, string limit, string identity, string reason, TimeSpan retryAfter, string message)
    {
        metrics.Refused(limit);
        LogRefusal(limit, identity);
        context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return HttpReplies.JsonAsync(context, StatusCodes.Status429TooManyRequests,
            JsonRpc.Error(id, JsonRpcErrorCodes.Refused, message, new JsonObject { ["reason"] = reason, ["limit"] = $"gateway.{limit}" }));
    }

    private void LogRefusal(string limit, string identity)
    {
        if (throttle.ShouldLog(limit, out var unlogged))
        {
            Log.Refused(logger, identity, limit, unlogged);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2410, Level = LogLevel.Warning, Message = "Request of {Identity} refused by gateway.{Limit} ({Unlogged} more refusals by this limit since its last line; proctor_limit_refusals_total counts them all)")]
        public static partial void Refused(ILogger logger, string identity, string limit, long unlogged);
    }
}
