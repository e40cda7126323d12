using Proctor.Configuration.Binding;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Rules;

/// <summary>One identity's share of sessions cannot exceed all of them, or the per-identity limit protects nobody.</summary>
internal sealed class GatewayLimitsRule : IConfigurationRule
{
    public void Check(ProctorOptions options, BindingContext context)
    {
        var (all, one) = (options.Gateway.Limits.MaxSessions, options.Gateway.Limits.MaxSessionsPerIdentity);
        if (one > all && !context.IsRefused("gateway.maxSessions") && !context.IsRefused("gateway.maxSessionsPerIdentity"))
        {
            context.Add("gateway.maxSessionsPerIdentity", $"{one} is more than gateway.maxSessions ({all}), so one identity could still take every session; use at most {all}, or raise gateway.maxSessions");
        }
    }
}
