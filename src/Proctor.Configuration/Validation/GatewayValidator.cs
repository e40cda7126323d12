using Proctor.Configuration.Formats;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Validation;

/// <summary>The <c>gateway:</c> section: listen address, browser origins, request size, timeouts and limits.</summary>
internal sealed class GatewayValidator : IOptionsValidator
{
    public void Validate(ProctorOptions options, ValidationContext context)
    {
        var gateway = options.Gateway;
        if (gateway.Listen is { } listen)
        {
            context.AddIf(ListenFormat.TryParse(listen, out _, out var problem), "gateway.listen", problem);
        }

        for (var i = 0; i < gateway.AllowedOrigins?.Count; i++)
        {
            context.AddIf(OriginFormat.TryNormalize(gateway.AllowedOrigins[i], out _, out var problem), $"gateway.allowedOrigins[{i}]", problem);
        }

        if (gateway.MaxRequestBytes is { } size)
        {
            context.AddIf(ByteSizeFormat.TryParse(size, GatewayOptions.DefaultMaxRequestBytes, out _, out var problem), "gateway.maxRequestBytes", problem);
        }

        if (gateway.RequestTimeout is { } requestTimeout)
        {
            context.AddIf(DurationFormat.TryParse(requestTimeout, GatewayOptions.DefaultRequestTimeout, out _, out var problem), "gateway.requestTimeout", problem);
        }

        if (gateway.ShutdownTimeout is { } shutdownTimeout)
        {
            context.AddIf(DurationFormat.TryParse(shutdownTimeout, GatewayOptions.DefaultShutdownTimeout, out _, out var problem), "gateway.shutdownTimeout", problem);
        }

        var total = Count(gateway.MaxSessions, "maxSessions", GatewayOptions.DefaultMaxSessions, context);
        var perIdentity = Count(gateway.MaxSessionsPerIdentity, "maxSessionsPerIdentity", GatewayOptions.DefaultMaxSessionsPerIdentity, context);
        Count(gateway.MaxConcurrentCallsPerIdentity, "maxConcurrentCallsPerIdentity", GatewayOptions.DefaultMaxConcurrentCallsPerIdentity, context);
        Count(gateway.MaxCallsPerSecondPerIdentity, "maxCallsPerSecondPerIdentity", GatewayOptions.DefaultMaxCallsPerSecondPerIdentity, context);
        if (total is { } all && perIdentity is { } one && one > all)
        {
            context.Add("gateway.maxSessionsPerIdentity",
                $"{one} is more than gateway.maxSessions ({all}), so one identity could still take every session; use at most {all}, or raise gateway.maxSessions");
        }
    }

    /// <returns>The limit in force (written or default), or null when what is written is not a count.</returns>
    private static int? Count(string? text, string key, int defaultValue, ValidationContext context)
    {
        if (text is null)
        {
            return defaultValue;
        }

        var valid = CountFormat.TryParse(text, defaultValue, out var value, out var problem);
        context.AddIf(valid, $"gateway.{key}", problem);
        return valid ? value : null;
    }
}
