namespace Proctor.Configuration;

/// <summary>
/// The <c>gateway:</c> section. <see cref="AllowedOrigins"/> holds normalized origins
/// (<c>scheme://host[:port]</c>, lower case, default port omitted) as browsers send them in the
/// <c>Origin</c> header.
/// </summary>
public sealed record GatewaySettings(
    Uri Listen,
    IReadOnlyList<string> AllowedOrigins,
    long MaxRequestBytes,
    TimeSpan RequestTimeout,
    TimeSpan ShutdownTimeout);
