using System.Text;
using Microsoft.Data.Sqlite;
using Proctor.Identity.AgentKeys;
using Proctor.Storage.Sqlite.AgentKeys;

namespace Proctor.Storage.Sqlite.Tests.AgentKeys;

public sealed class SqliteAgentKeyStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_000);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("proctor-keys-");

    private string DatabasePath => Path.Combine(_folder.FullName, "data", "proctor.db");

    [Fact]
    public async Task Add_ThenFindByHash_ReturnsTheKeyAndItsHash()
    {
        var store = new SqliteAgentKeyStore(DatabasePath);
        var secret = AgentKeyFormat.NewKey();
        var key = new AgentKey("ak_1", "ci-bot", ["analysts", "batch"], Now, Now.AddDays(90), null);

        await store.AddAsync(key, AgentKeyFormat.Hash(secret), CancellationToken.None);
        var found = await new SqliteAgentKeyStore(DatabasePath).FindByHashAsync(AgentKeyFormat.Hash(secret), CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal(key.Id, found.Value.Key.Id);
        Assert.Equal(["analysts", "batch"], found.Value.Key.Groups);
        Assert.Equal(key.ExpiresAt, found.Value.Key.ExpiresAt);
        Assert.Equal(AgentKeyFormat.Hash(secret), found.Value.StoredHash);
    }

    [Fact]
    public async Task FindByHash_NoDatabaseYet_NothingFoundAndNoFileCreated()
    {
        var found = await new SqliteAgentKeyStore(DatabasePath).FindByHashAsync(new byte[32], CancellationToken.None);

        Assert.Null(found);
        Assert.False(File.Exists(DatabasePath));
    }

    [Fact]
    public async Task DatabaseFiles_NeverContainTheKey()
    {
        var store = new SqliteAgentKeyStore(DatabasePath);
        var secret = AgentKeyFormat.NewKey();
        await store.AddAsync(new AgentKey("ak_2", "ci-bot", [], Now, Now.AddDays(1), null), AgentKeyFormat.Hash(secret), CancellationToken.None);
        await store.ListAsync(CancellationToken.None);
        SqliteConnection.ClearAllPools();

        var needle = Encoding.UTF8.GetBytes(secret);
        var random = Encoding.UTF8.GetBytes(secret["prk_".Length..]);
        var files = Directory.GetFiles(Path.GetDirectoryName(DatabasePath)!);
        Assert.Contains(files, f => f.EndsWith("proctor.db", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(needle));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(random));
        }
    }

    [Fact]
    public async Task Open_UsesWriteAheadLogging()
    {
        await new SqliteAgentKeyStore(DatabasePath).AddAsync(new AgentKey("ak_3", "x", [], Now, Now.AddDays(1), null), new byte[32], CancellationToken.None);

        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Add_NameOfAnUnrevokedKey_RefusedUntilRevoked()
    {
        var store = new SqliteAgentKeyStore(DatabasePath);
        await store.AddAsync(new AgentKey("ak_4", "ci-bot", [], Now, Now.AddDays(1), null), AgentKeyFormat.Hash(AgentKeyFormat.NewKey()), CancellationToken.None);

        var duplicate = await Assert.ThrowsAsync<AgentKeyStoreException>(() => store.AddAsync(new AgentKey("ak_5", "ci-bot", [], Now, Now.AddDays(1), null), AgentKeyFormat.Hash(AgentKeyFormat.NewKey()), CancellationToken.None));
        var revoked = await store.RevokeAsync("ci-bot", Now, CancellationToken.None);
        await store.AddAsync(new AgentKey("ak_6", "ci-bot", [], Now, Now.AddDays(1), null), AgentKeyFormat.Hash(AgentKeyFormat.NewKey()), CancellationToken.None);

        Assert.Contains("already exists and is not revoked", duplicate.Message, StringComparison.Ordinal);
        Assert.Equal("ak_4", revoked.Id);
        Assert.Equal(Now, revoked.RevokedAt);
        Assert.Equal(["ak_4", "ak_6"], (await store.ListAsync(CancellationToken.None)).Select(k => k.Id));
    }

    [Fact]
    public async Task Revoke_ById_AndUnknownOrAlreadyRevoked_Refused()
    {
        var store = new SqliteAgentKeyStore(DatabasePath);
        await store.AddAsync(new AgentKey("ak_7", "ci-bot", [], Now, Now.AddDays(1), null), AgentKeyFormat.Hash(AgentKeyFormat.NewKey()), CancellationToken.None);

        await store.RevokeAsync("ak_7", Now, CancellationToken.None);

        var again = await Assert.ThrowsAsync<AgentKeyStoreException>(() => store.RevokeAsync("ak_7", Now, CancellationToken.None));
        Assert.Contains("No unrevoked agent key", again.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
