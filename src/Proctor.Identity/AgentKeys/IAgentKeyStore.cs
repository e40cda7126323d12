namespace Proctor.Identity.AgentKeys;

/// <summary>
/// Where agent keys are kept. Implementations MUST store only the key's hash, never the key, and MUST
/// NOT log hashes. Names are unique among unrevoked keys; a revoked key's name may be reused.
/// </summary>
public interface IAgentKeyStore
{
    /// <exception cref="AgentKeyStoreException">An unrevoked key already has this name.</exception>
    Task AddAsync(AgentKey key, byte[] keyHash, CancellationToken cancellationToken);

    /// <summary>The key whose hash equals <paramref name="keyHash"/> with the hash as stored, or null.</summary>
    Task<(AgentKey Key, byte[] StoredHash)?> FindByHashAsync(byte[] keyHash, CancellationToken cancellationToken);

    /// <summary>Every key, revoked and expired ones included, oldest first.</summary>
    Task<IReadOnlyList<AgentKey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Revokes the unrevoked key with this name, or the key with this id.</summary>
    /// <exception cref="AgentKeyStoreException">No such key, or it is already revoked.</exception>
    Task<AgentKey> RevokeAsync(string nameOrId, DateTimeOffset at, CancellationToken cancellationToken);
}
