using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Proctor.Mcp.Routing;

namespace Proctor.Mcp.Sessions;

/// <summary>
/// Live legacy sessions. Ids are 128 random bits (unguessable, as the spec requires). Idle sessions
/// expire; the store is bounded so that untrusted clients cannot exhaust memory with initialize calls.
/// </summary>
public sealed class ClientSessionStore(TimeProvider time, TimeSpan idleTimeout, int capacity = 10_000)
{
    private readonly ConcurrentDictionary<string, ClientSession> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    /// <summary>Raised once per session when it is closed (DELETE, expiry), after its calls are cancelled.</summary>
    public event Action<ClientSession>? Closed;

    public ClientSession? Open(Route route, string owner, string protocolVersion, JsonObject capabilities, JsonObject? clientInfo)
    {
        Sweep();
        if (_sessions.Count >= capacity)
        {
            return null;
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var session = new ClientSession(id, route, owner, protocolVersion, capabilities, clientInfo, time.GetUtcNow());
        _sessions[id] = session;
        return session;
    }

    public ClientSession? Find(string id)
    {
        if (!_sessions.TryGetValue(id, out var session))
        {
            return null;
        }

        if (time.GetUtcNow() - session.LastSeen > idleTimeout)
        {
            Remove(id);
            return null;
        }

        session.LastSeen = time.GetUtcNow();
        return session;
    }

    public bool Remove(string id)
    {
        if (_sessions.TryRemove(id, out var session))
        {
            session.Close();
            Closed?.Invoke(session);
            return true;
        }

        return false;
    }

    public IEnumerable<ClientSession> All => _sessions.Values;

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (id, session) in _sessions)
        {
            if (now - session.LastSeen > idleTimeout)
            {
                Remove(id);
            }
        }
    }
}
