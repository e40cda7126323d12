using Proctor.Configuration.Models;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Pipeline.Stages;

/// <summary>
/// Refuses any call whose caller the transport did not establish, and any call to an upstream whose
/// identity requirements the caller's authentication does not meet: multiple factors
/// (<c>requireMfa</c>) and a recent enough sign-in (<c>maxAuthAge</c>). The transport verifies the
/// token (401/403 happen there); this stage is where per-upstream requirements apply, so that listing
/// and calling agree: an upstream a caller may not reach drops out of its lists too.
/// The gateway's own identity (<see cref="Caller.Gateway"/>) is admitted for its housekeeping methods only, and
/// without the per-upstream requirements, which are about how a person or agent signed in: an upstream that
/// requires MFA must still receive the unsubscribe that ends a closed session's subscription.
/// </summary>
internal sealed class AuthenticateStage(IReadOnlyDictionary<string, UpstreamModel>? upstreams = null, TimeProvider? time = null) : ICallStage
{
    /// <summary>
    /// RFC 8176 values that are a second factor by themselves; "mfa" says several were used.
    /// Two different methods of any kind (e.g. pwd and sms) also count as multiple factors.
    /// </summary>
    private static readonly HashSet<string> MultiFactorMethods = new(["mfa", "otp", "hwk", "swk", "sc", "fpt", "face", "iris", "retina", "vbm"], StringComparer.Ordinal);

    /// <summary>What the gateway sends upstream on its own account: the unsubscribe of a closed session's subscriptions.</summary>
    private static readonly HashSet<string> HousekeepingMethods = new([McpMethods.ResourcesUnsubscribe], StringComparer.Ordinal);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken)
    {
        var caller = context.Caller;
        if (string.IsNullOrEmpty(caller.Subject))
        {
            context.Refuse(ReasonCodes.NoCaller, "The request carries no caller identity; it cannot be forwarded.", JsonRpcErrorCodes.Refused);
            return Task.CompletedTask;
        }

        if (caller.IsGateway)
        {
            if (!HousekeepingMethods.Contains(context.Method))
            {
                context.Refuse(ReasonCodes.GatewayHousekeepingOnly,
                    $"The gateway's own identity may send only {string.Join(", ", HousekeepingMethods)}, not {context.Method}; this is a gateway bug, report it.");
                return Task.CompletedTask;
            }

            return next(context, cancellationToken);
        }

        if (upstreams is not null && upstreams.TryGetValue(context.Upstream.Name, out var upstream))
        {
            if (upstream.RequireMfa && !UsedMultipleFactors(caller))
            {
                var methods = caller.AuthenticationMethods.Count == 0 ? "none recorded" : string.Join(", ", caller.AuthenticationMethods);
                context.Refuse(ReasonCodes.MfaRequired,
                    $"Server '{upstream.Name}' requires multi-factor authentication; your token's authentication methods (amr) are: {methods}. Sign in again with MFA and use the new token.");
                return Task.CompletedTask;
            }

            if (RequiredScopes.FirstMissing(upstream.RequiredScopes, caller.Scopes) is { } missing)
            {
                context.Refuse(ReasonCodes.InsufficientScope,
                    $"Server '{upstream.Name}' requires the scope(s) {string.Join(' ', upstream.RequiredScopes)}; your token lacks {missing}. Request a token with that scope.");
                return Task.CompletedTask;
            }

            if (upstream.MaxAuthenticationAge is { } maxAge && !SignedInWithin(caller, maxAge, out var age))
            {
                context.Refuse(ReasonCodes.AuthenticationTooOld,
                    age is null
                        ? $"Server '{upstream.Name}' requires a sign-in within {maxAge}; your token does not say when you signed in (auth_time). Sign in again."
                        : $"Server '{upstream.Name}' requires a sign-in within {maxAge}; yours was {age.Value:d\\.hh\\:mm\\:ss} ago. Sign in again and use the new token.");
                return Task.CompletedTask;
            }
        }

        return next(context, cancellationToken);
    }

    private static bool UsedMultipleFactors(Caller caller)
    {
        foreach (var method in caller.AuthenticationMethods)
        {
            if (MultiFactorMethods.Contains(method))
            {
                return true;
            }
        }

        return caller.AuthenticationMethods.Distinct(StringComparer.Ordinal).Count() >= 2;
    }

    private bool SignedInWithin(Caller caller, TimeSpan maxAge, out TimeSpan? age)
    {
        age = _time.GetUtcNow() - caller.AuthenticatedAt;
        return age is { } known && known <= maxAge;
    }
}
