using System.Collections.Frozen;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Routing;

/// <summary>The running upstreams, in configuration order (which is also the aggregated list order).</summary>
public sealed class UpstreamRegistry
{
    public UpstreamRegistry(IReadOnlyList<Upstream> upstreams, IReadOnlyDictionary<string, TimeSpan> timeouts)
    {
        Ordered = upstreams;
        ByName = upstreams.ToFrozenDictionary(u => u.Name, StringComparer.Ordinal);
        Timeouts = timeouts.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IReadOnlyList<Upstream> Ordered { get; }

    public FrozenDictionary<string, Upstream> ByName { get; }

    public FrozenDictionary<string, TimeSpan> Timeouts { get; }

    public IEnumerable<Upstream> Ready(Route route)
    {
        foreach (var upstream in Ordered)
        {
            if ((route.IsAggregate || upstream.Name == route.Server) && upstream.Health.State == UpstreamState.Ready)
            {
                yield return upstream;
            }
        }
    }
}
