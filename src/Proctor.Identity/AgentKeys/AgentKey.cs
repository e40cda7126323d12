namespace Proctor.Identity.AgentKeys;

/// <summary>
/// A machine identity: a named key with groups and a fixed lifetime. The key itself is never part of
/// this record; stores hold only its SHA-256 (see <see cref="AgentKeyFormat"/>).
/// </summary>
public sealed record AgentKey(string Id, string Name, IReadOnlyList<string> Groups, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt)
{
    /// <summary>The subject callers with this key get: <c>agent:NAME</c>.</summary>
    public string Subject => "agent:" + Name;
}

/// <summary>A name (or id) that matches no key, or a name already held by an unrevoked key.</summary>
public sealed class AgentKeyStoreException(string message) : Exception(message);
