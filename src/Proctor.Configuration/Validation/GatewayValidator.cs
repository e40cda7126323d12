using Proctor.Configuration.Formats;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Validation;

/// <summary>The <c>gateway:</c> section: listen address, browser origins, request size and timeouts.</summary>
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
    }
}
