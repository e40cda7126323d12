namespace Proctor.Configuration;

/// <summary>
/// One upstream MCP server. <see cref="Name"/> is also the tool prefix in <c>{server}__{tool}</c>.
/// <see cref="Timeout"/> is the upstream's own timeout, or <c>gateway.requestTimeout</c> when it has none.
/// </summary>
public abstract record UpstreamModel(string Name, TimeSpan Timeout);
