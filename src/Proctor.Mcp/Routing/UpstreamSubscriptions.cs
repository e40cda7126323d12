using System.Collections.Concurrent;

namespace Proctor.Mcp.Routing;

/// <summary>
/// How many callers hold a subscription to each resource on each upstream. Upstream sessions are shared
/// (decision 0002), so the gateway subscribes upstream for the first caller and unsubscribes after
/// the last one; in between, callers subscribe and unsubscribe at the gateway only.
/// </summary>
public sealed class UpstreamSubscriptions
{
    private readonly ConcurrentDictionary<(string Server, string Uri), int> _holders = new();

    /// <returns>True when this is the first holder: the caller must subscribe upstream.</returns>
    public bool Acquire(string server, string uri) =>
        _holders.AddOrUpdate((server, uri), 1, (_, count) => count + 1) == 1;

    /// <returns>True when this was the last holder: the caller must unsubscribe upstream.</returns>
    public bool Release(string server, string uri)
    {
        while (_holders.TryGetValue((server, uri), out var count))
        {
            if (count <= 1)
            {
                if (_holders.TryRemove(new KeyValuePair<(string, string), int>((server, uri), count)))
                {
                    return true;
                }
            }
            else if (_holders.TryUpdate((server, uri), count - 1, count))
            {
                return false;
            }
        }

        return false;
    }
}
