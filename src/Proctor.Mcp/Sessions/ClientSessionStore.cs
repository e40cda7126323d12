using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Sessions.Replay;

namespace Proctor.Mcp.Sessions;

/// <summary>
/// Live legacy sessions. Ids are 128 random bits (unguessable, as the spec requires). Idle sessions
/// expire; the store is bounded so that untrusted clients cannot exhaust memory with initialize calls,
/// and each identity may hold only its share, so that one identity cannot lock the others out.
/// </summary>
/// <param name="replay">What each session keeps for clients that resume a stream; default <see cref="SessionReplayLimits.Default"/>.</param>
public sealed class ClientSessionStore(TimeProvider time, TimeSpan idleTimeout, int capacity = 10_000, int capacityPerIdentity = int.MaxValue, SessionReplayLimits? replay = null)
{
    private readonly ConcurrentDictionary<string, ClientSession> _sessions = new(StringComparer.Ordinal);

    // Opening is rare (initialize) and must check both limits and count the session as one step.
    private readonly Lock _admission = new();
    private readonly Dictionary<string, int> _perIdentity = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public int Capacity => capacity;

    public int CapacityPerIdentity => capacityPerIdentity;

    public TimeSpan IdleTimeout => idleTimeout;

    /// <summary>Raised once per session when it is closed (DELETE, expiry, shutdown), after its calls are cancelled.</summary>
    public event Action<ClientSession, SessionCloseReason>? Closed;

    /// <param name="owner">The caller's key: only this caller may use the session.</param>
    /// <param name="identity">Whose share of the sessions this one counts against (the owner, or for anonymous callers their address).</param>
    public SessionOpening Open(Route route, string owner, string identity, string protocolVersion, JsonObject capabilities, JsonObject? clientInfo)
    {
        Sweep();
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var session = new ClientSession(id, route, owner, identity, protocolVersion, capabilities, clientInfo, time.GetUtcNow(), replay);
        lock (_admission)
        {
            if (_sessions.Count >= capacity)
            {
                return new SessionOpening(null, SessionLimit.Total, null);
            }

            _perIdentity.TryGetValue(identity, out var held);
            if (held >= capacityPerIdentity)
            {
                return new SessionOpening(null, SessionLimit.PerIdentity, UntilOneExpires(identity));
            }

            _perIdentity[identity] = held + 1;
            _sessions[id] = session;
        }

        return new SessionOpening(session, null, null);
    }

    public ClientSession? Find(string id)
    {
        if (!_sessions.TryGetValue(id, out var session))
        {
            return null;
        }

        if (time.GetUtcNow() - session.LastSeen > idleTimeout)
        {
            Remove(id, SessionCloseReason.Expired);
            return null;
        }

        session.LastSeen = time.GetUtcNow();
        return session;
    }

    public bool Remove(string id, SessionCloseReason reason = SessionCloseReason.Deleted)
    {
        ClientSession? session;
        lock (_admission)
        {
            if (!_sessions.TryRemove(id, out session))
            {
                return false;
            }

            var held = _perIdentity[session.Identity] - 1;
            if (held == 0)
            {
                _perIdentity.Remove(session.Identity); // the map holds only identities with sessions: bounded by the total
            }
            else
            {
                _perIdentity[session.Identity] = held;
            }
        }

        session.Close();
        Closed?.Invoke(session, reason);
        return true;
    }

    /// <summary>Closes every session (the gateway is stopping); each close is raised as <see cref="Closed"/>.</summary>
    public int CloseAll(SessionCloseReason reason)
    {
        var closed = 0;
        foreach (var id in _sessions.Keys)
        {
            closed += Remove(id, reason) ? 1 : 0;
        }

        return closed;
    }

    public IEnumerable<ClientSession> All => _sessions.Values;

    /// <summary>When the identity's least recently used session expires: the earliest a new one could open without a DELETE.</summary>
    private TimeSpan UntilOneExpires(string identity)
    {
        var oldest = DateTimeOffset.MaxValue;
        foreach (var session in _sessions.Values)
        {
            if (session.Identity == identity && session.LastSeen < oldest)
            {
                oldest = session.LastSeen;
            }
        }

        var wait = oldest + idleTimeout - time.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (id, session) in _sessions)
        {
            if (now - session.LastSeen > idleTimeout)
            {
                Remove(id, SessionCloseReason.Expired);
            }
        }
    }
}

/// <summary>Why a session ended, as the ledger records it in <c>session.close</c>.</summary>
public enum SessionCloseReason
{
    /// <summary>The client ended it (DELETE).</summary>
    Deleted,

    /// <summary>Unused for longer than the idle timeout.</summary>
    Expired,

    /// <summary>The gateway stopped.</summary>
    Shutdown,
}

/// <summary>Which session limit refused an <c>initialize</c>.</summary>
public enum SessionLimit
{
    /// <summary><c>gateway.maxSessions</c>: every identity's sessions together.</summary>
    Total,

    /// <summary><c>gateway.maxSessionsPerIdentity</c>.</summary>
    PerIdentity,
}

/// <summary>The opened session, or the limit that refused it and, for an identity's limit, when one of its sessions expires.</summary>
public readonly record struct SessionOpening(ClientSession? Session, SessionLimit? Refused, TimeSpan? RetryAfter);
