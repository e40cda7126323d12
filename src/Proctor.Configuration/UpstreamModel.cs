namespace Proctor.Configuration;

/// <summary>
/// One upstream MCP server. <see cref="Name"/> is also the tool prefix in <c>{server}__{tool}</c>.
/// <see cref="Timeout"/> is the upstream's own timeout, or <c>gateway.requestTimeout</c> when it has none.
/// </summary>
public abstract record UpstreamModel(string Name, TimeSpan Timeout)
{
    /// <summary>Callers MUST have authenticated with more than one factor to reach this upstream.</summary>
    public bool RequireMfa { get; init; }

    /// <summary>When set, callers MUST have authenticated at most this long ago (token <c>auth_time</c>).</summary>
    public TimeSpan? MaxAuthenticationAge { get; init; }

    /// <summary>OAuth scopes a caller's token MUST hold (all of them) to reach this upstream; empty: none.</summary>
    public IReadOnlyList<string> RequiredScopes { get; init; } = [];

    /// <summary>Message size, calls in flight, queue lengths and liveness checks (<c>maxMessageBytes</c>, …).</summary>
    public UpstreamLimits Limits { get; init; } = UpstreamLimits.Default;
}
