using Proctor.Configuration.Models;
using Proctor.Http.Identity;
using Proctor.Identity.AgentKeys;
using Proctor.Identity.Tokens;

namespace Proctor.Http.Tests.Identity;

/// <summary>What the identity tests share: the gateway's identity section, with JWTs from one made-up provider.</summary>
internal static class TestIdentity
{
    public static IdentitySettings Settings { get; } = new(new Uri("https://gateway.example.com/mcp"), [new Uri("https://login.example.com")], "groups", ["RS256"], TimeSpan.FromSeconds(30));

    /// <summary>The bearer check with agent keys from <paramref name="store"/>; without settings every caller is anonymous.</summary>
    public static BearerAuthentication Bearer(IAgentKeyStore store, IdentitySettings? settings) =>
        new(settings, settings is null ? null : new JwtAuthenticator(settings, new HttpClient(new NoNetwork())), new AgentKeyAuthenticator(store));
}

/// <summary>The identity provider is never reached in these tests: a fetch fails the test.</summary>
internal sealed class NoNetwork : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("No identity provider fetch is expected in these tests.");
}

/// <summary>A key store holding one agent key (<see cref="Key"/>) of agent <see cref="Name"/> in the given groups; it counts its lookups.</summary>
internal sealed class OneKeyStore(params string[] groups) : IAgentKeyStore
{
    public string Key { get; } = AgentKeyFormat.NewKey();

    public string Name { get; set; } = "ci-bot";

    /// <summary>When set, the key was revoked then.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    public int Lookups { get; private set; }

    public Task AddAsync(AgentKey key, byte[] keyHash, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<(AgentKey Key, byte[] StoredHash)?> FindByHashAsync(byte[] keyHash, CancellationToken cancellationToken)
    {
        Lookups++;
        return Task.FromResult<(AgentKey, byte[])?>(keyHash.AsSpan().SequenceEqual(AgentKeyFormat.Hash(Key))
            ? (new AgentKey("ak_1", Name, groups, DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(1), RevokedAt), AgentKeyFormat.Hash(Key))
            : null);
    }

    public Task<IReadOnlyList<AgentKey>> ListAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<AgentKey> RevokeAsync(string nameOrId, DateTimeOffset at, CancellationToken cancellationToken) => throw new NotSupportedException();
}
