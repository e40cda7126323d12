using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Proctor.Http.Console;

/// <summary>
/// Access tokens whose console sign-in was ended by signing out (decision 0053). A session cookie carries no state on the
/// server, so a copy taken before sign-out would otherwise admit until its idle expiry; each one is remembered (as a
/// SHA-256 hash) only as long as any cookie holding it can live. Held by this process: see the decision for what that means.
/// </summary>
internal sealed class SignedOutTokens(TimeSpan idleTimeout, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _until = new(StringComparer.Ordinal);

    public void Add(string token)
    {
        var now = time.GetUtcNow();
        foreach (var (hash, until) in _until.Where(e => e.Value <= now))
        {
            _until.TryRemove(KeyValuePair.Create(hash, until));
        }

        _until[Hash(token)] = now + idleTimeout;
    }

    /// <summary>A new sign-in with the same token (pasted again) is the person's own choice, so it is admitted again.</summary>
    public void Remove(string token) => _until.TryRemove(Hash(token), out _);

    public bool Contains(string token) => _until.TryGetValue(Hash(token), out var until) && until > time.GetUtcNow();

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
