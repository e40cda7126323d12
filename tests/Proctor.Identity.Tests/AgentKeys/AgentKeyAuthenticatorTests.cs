using Proctor.Identity.AgentKeys;

namespace Proctor.Identity.Tests.AgentKeys;

public sealed class AgentKeyAuthenticatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private readonly MemoryStore _store = new();
    private readonly SteppedTime _time = new(Start);
    private readonly AgentKeyAuthenticator _authenticator;

    public AgentKeyAuthenticatorTests() => _authenticator = new AgentKeyAuthenticator(_store, _time);

    private string Add(string name, TimeSpan lifetime, params string[] groups)
    {
        var secret = AgentKeyFormat.NewKey();
        _store.AddAsync(new AgentKey(AgentKeyFormat.NewId(), name, groups, Start, Start + lifetime, null), AgentKeyFormat.Hash(secret), CancellationToken.None).GetAwaiter().GetResult();
        return secret;
    }

    [Fact]
    public void NewKey_HasPrefixAnd256RandomBits_AndIsNeverAJwt()
    {
        var key = AgentKeyFormat.NewKey();

        Assert.StartsWith("prk_", key, StringComparison.Ordinal);
        Assert.Equal(4 + 43, key.Length);
        Assert.DoesNotContain('.', key);
        Assert.NotEqual(key, AgentKeyFormat.NewKey());
    }

    [Fact]
    public async Task Authenticate_ValidKey_AgentIdentityWithGroupsAndNoScopes()
    {
        var key = Add("ci-bot", TimeSpan.FromDays(90), "analysts", "batch");

        var outcome = await _authenticator.AuthenticateAsync(key, CancellationToken.None);

        Assert.True(outcome.Succeeded);
        Assert.Equal("agent:ci-bot", outcome.Identity!.Subject);
        Assert.Equal(AgentKeyAuthenticator.Issuer, outcome.Identity.Issuer);
        Assert.Equal("agent-key", outcome.Identity.Method);
        Assert.Equal(["analysts", "batch"], outcome.Identity.Groups);
        Assert.Empty(outcome.Identity.Scopes);
    }

    [Fact]
    public async Task Authenticate_SeveralKeysInTurn_EachFromItsOwnCacheEntryWithItsOwnIdentity()
    {
        var keys = new[] { Add("ci-bot", TimeSpan.FromDays(90), "batch"), Add("reporter", TimeSpan.FromDays(90), "analysts"), Add("ops", TimeSpan.FromDays(90)) };
        var subjects = new List<string?>();

        for (var round = 0; round < 3; round++)
        {
            foreach (var key in keys)
            {
                subjects.Add((await _authenticator.AuthenticateAsync(key, CancellationToken.None)).Identity?.Subject);
            }
        }

        Assert.Equal(Enumerable.Repeat<string?[]>(["agent:ci-bot", "agent:reporter", "agent:ops"], 3).SelectMany(s => s), subjects);
        Assert.Equal(3, _store.Lookups); // one lookup per key: the later rounds came from the cache
        Assert.False((await _authenticator.AuthenticateAsync(AgentKeyFormat.NewKey(), CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task Authenticate_UnknownKey_Refused401()
    {
        var outcome = await _authenticator.AuthenticateAsync(AgentKeyFormat.NewKey(), CancellationToken.None);

        Assert.Equal(401, outcome.Status);
        Assert.Equal("invalid_token", outcome.Error);
        Assert.Contains("not known", outcome.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_AfterExpiry_RefusedEvenFromCache()
    {
        var key = Add("short", TimeSpan.FromSeconds(2));
        Assert.True((await _authenticator.AuthenticateAsync(key, CancellationToken.None)).Succeeded);

        _time.Advance(TimeSpan.FromSeconds(2));
        var outcome = await _authenticator.AuthenticateAsync(key, CancellationToken.None);

        Assert.Equal(401, outcome.Status);
        Assert.Contains("'short' expired at", outcome.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_Revoked_RefusedOnceTheCacheEntryIsOlderThanTheBound()
    {
        var key = Add("ci-bot", TimeSpan.FromDays(1));
        Assert.True((await _authenticator.AuthenticateAsync(key, CancellationToken.None)).Succeeded);
        await _store.RevokeAsync("ci-bot", Start, CancellationToken.None);

        _time.Advance(AgentKeyAuthenticator.CacheLifetime - TimeSpan.FromMilliseconds(1));
        var withinBound = await _authenticator.AuthenticateAsync(key, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var afterBound = await _authenticator.AuthenticateAsync(key, CancellationToken.None);

        Assert.True(withinBound.Succeeded);
        Assert.Equal(401, afterBound.Status);
        Assert.Contains("'ci-bot' was revoked", afterBound.Description, StringComparison.Ordinal);
        Assert.Equal(2, _store.Lookups);
    }

    [Fact]
    public async Task Authenticate_StoreFails_Refused503()
    {
        _store.Fail = true;

        var outcome = await _authenticator.AuthenticateAsync(AgentKeyFormat.NewKey(), CancellationToken.None);

        Assert.Equal(503, outcome.Status);
    }

    /// <summary>Every way a pasted or forged agent key can be wrong around a real one: each is refused without a store lookup.</summary>
    public static TheoryData<string> MalformedKeys()
    {
        var real = AgentKeyFormat.NewKey();
        var body = real[4..];
        var data = new TheoryData<string>
        {
            "prk_",
            "prk_x",
            real[..^1],
            real + "A",
            real + "=",
            real[..^1] + "=",
            real + "\n",
            "prk_" + body[..20] + " " + body[21..],
            "prk_" + body[..20] + "+" + body[21..],
            "prk_" + body[..20] + "/" + body[21..],
            "prk_" + body[..20] + "\u00e9" + body[21..],
            "prk_" + body[..20] + "\u0000" + body[21..],
            "prk_" + body[..20] + "\u0661" + body[21..], // an Arabic-Indic digit: a letter-or-digit, but not ASCII
            "prk_" + body[..20] + "." + body[21..],
            "prk_" + new string('A', 100_000),
            "prk_" + body + "." + body,
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public async Task Authenticate_MalformedKey_RefusedWithoutAskingTheStore(string key)
    {
        var outcome = await _authenticator.AuthenticateAsync(key, CancellationToken.None);

        Assert.Equal((401, "invalid_token", AuthenticationFailures.AgentKeyMalformed), (outcome.Status, outcome.Error, outcome.Reason));
        if (key.Length > 8)
        {
            Assert.DoesNotContain(key[4..Math.Min(key.Length, 14)], outcome.Description, StringComparison.Ordinal);
        }

        Assert.Equal(0, _store.Lookups);
    }

    [Fact]
    public async Task Authenticate_WellFormedUnknownKey_AsksTheStoreAndSaysUnknown()
    {
        var outcome = await _authenticator.AuthenticateAsync(AgentKeyFormat.NewKey(), CancellationToken.None);

        Assert.Equal(AuthenticationFailures.AgentKeyUnknown, outcome.Reason);
        Assert.Equal(1, _store.Lookups);
    }

    private sealed class SteppedTime(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }

    private sealed class MemoryStore : IAgentKeyStore
    {
        private readonly List<(AgentKey Key, byte[] Hash)> _keys = [];

        public int Lookups { get; private set; }

        public bool Fail { get; set; }

        public Task AddAsync(AgentKey key, byte[] keyHash, CancellationToken cancellationToken)
        {
            _keys.Add((key, keyHash));
            return Task.CompletedTask;
        }

        public Task<(AgentKey Key, byte[] StoredHash)?> FindByHashAsync(byte[] keyHash, CancellationToken cancellationToken)
        {
            Lookups++;
            if (Fail)
            {
                throw new IOException("disk gone");
            }

            foreach (var (key, hash) in _keys)
            {
                if (hash.AsSpan().SequenceEqual(keyHash))
                {
                    return Task.FromResult<(AgentKey, byte[])?>((key, hash));
                }
            }

            return Task.FromResult<(AgentKey, byte[])?>(null);
        }

        public Task<IReadOnlyList<AgentKey>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<AgentKey>>([.. _keys.Select(k => k.Key)]);

        public Task<AgentKey> RevokeAsync(string nameOrId, DateTimeOffset at, CancellationToken cancellationToken)
        {
            var i = _keys.FindIndex(k => k.Key.RevokedAt is null && (k.Key.Name == nameOrId || k.Key.Id == nameOrId));
            _keys[i] = (_keys[i].Key with { RevokedAt = at }, _keys[i].Hash);
            return Task.FromResult(_keys[i].Key);
        }
    }
}
