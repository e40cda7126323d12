using System.Text.Json;
using Microsoft.Data.Sqlite;
using Proctor.Identity.AgentKeys;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Events;
using Proctor.Storage.Sqlite.AgentKeys;
using Proctor.Storage.Sqlite.Files;
using Proctor.Storage.Sqlite.Ledger;

namespace Proctor.Storage.Sqlite.Tests.Files;

/// <summary>
/// Real file modes after the stores create their files: the folder 0700, the database and SQLite's -wal and -shm
/// 0600; older, open files are tightened at the gateway's start; a shared folder is refused.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OwnerOnlyDatabaseTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateFolder = Private | UnixFileMode.UserExecute;
    private const UnixFileMode Open = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode OpenFolder = PrivateFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("proctor-modes-");

    private string Folder => Path.Combine(_root.FullName, "data", "ledger");

    private string DatabasePath => Path.Combine(Folder, "proctor.db");

    [Fact]
    public async Task LedgerStore_NewDatabaseInANewFolder_FolderAndEveryFileOwnerOnly()
    {
        await using var store = await SqliteLedgerStore.OpenAsync(DatabasePath);
        await using var ledger = new AuditLedger(store);
        await ledger.AppendAsync(Event());

        Assert.Equal(PrivateFolder, File.GetUnixFileMode(Folder));
        AssertFilesPrivate(expectWal: true);
    }

    [Fact]
    public async Task AgentKeyStore_FirstKeyCreatesTheDatabase_OwnerOnly()
    {
        var store = new SqliteAgentKeyStore(DatabasePath);
        await store.AddAsync(new AgentKey("ak_1", "ci", ["batch"], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1), null), AgentKeyFormat.Hash(AgentKeyFormat.NewKey()), CancellationToken.None);

        await using var reader = new SqliteConnection($"Data Source={DatabasePath};Pooling=false");
        await reader.OpenAsync();
        Assert.Equal(PrivateFolder, File.GetUnixFileMode(Folder));
        AssertFilesPrivate(expectWal: true);
    }

    [Fact]
    public async Task Secure_FolderAndFilesLeftOpenByAnEarlierVersion_TightenedAndReported()
    {
        Directory.CreateDirectory(Folder);
        File.SetUnixFileMode(Folder, OpenFolder);
        await using (var store = await SqliteLedgerStore.OpenAsync(DatabasePath))
        {
            await using var ledger = new AuditLedger(store);
            await ledger.AppendAsync(Event());
        }

        foreach (var file in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm" })
        {
            if (!File.Exists(file))
            {
                await File.WriteAllBytesAsync(file, []);
            }

            File.SetUnixFileMode(file, Open);
        }

        var changed = OwnerOnlyDatabase.Secure(DatabasePath);

        Assert.Equal(4, changed.Count);
        Assert.Contains(changed, c => c.StartsWith(Folder + " was open to other users (mode 0755); it is now 0700", StringComparison.Ordinal));
        Assert.Contains(changed, c => c.StartsWith(DatabasePath + " was open to other users (mode 0644); it is now 0600", StringComparison.Ordinal));
        Assert.Equal(PrivateFolder, File.GetUnixFileMode(Folder));
        AssertFilesPrivate(expectWal: true);
        Assert.Empty(OwnerOnlyDatabase.Secure(DatabasePath));
        await using var reopened = await SqliteLedgerStore.OpenAsync(DatabasePath);
        Assert.Equal(1, await reopened.GetSizeAsync(CancellationToken.None));
    }

    [Fact]
    public void Secure_SharedStickyFolderLikeTmp_RefusedNamingAFolderOfItsOwn()
    {
        Directory.CreateDirectory(Folder);
        File.SetUnixFileMode(Folder, OpenFolder | UnixFileMode.OtherWrite | UnixFileMode.GroupWrite | UnixFileMode.StickyBit);

        var refusal = Assert.Throws<UnsafeStorageException>(() => OwnerOnlyDatabase.Secure(DatabasePath));

        Assert.Equal($"storage.path: the folder {Folder} is shared with other users (mode 1777, like /tmp), and the audit ledger needs a folder of its own. Point storage.path into a dedicated folder, e.g. \"/var/lib/proctor/proctor.db\".", refusal.Message);
        Assert.False(File.Exists(DatabasePath));
    }

    [Fact]
    public void Secure_NothingThereYet_CreatesPrivateFolderAndEmptyDatabase()
    {
        Assert.Empty(OwnerOnlyDatabase.Secure(DatabasePath));

        Assert.Equal(PrivateFolder, File.GetUnixFileMode(Folder));
        Assert.Equal(Private, File.GetUnixFileMode(DatabasePath));
        Assert.Equal(0, new FileInfo(DatabasePath).Length);
    }

    private void AssertFilesPrivate(bool expectWal)
    {
        Assert.Equal(Private, File.GetUnixFileMode(DatabasePath));
        foreach (var companion in new[] { "-wal", "-shm" })
        {
            var path = DatabasePath + companion;
            Assert.True(!expectWal || File.Exists(path), $"{path} does not exist while the database is open");
            if (File.Exists(path))
            {
                Assert.True(File.GetUnixFileMode(path) == Private, $"{path} is {File.GetUnixFileMode(path)}");
            }
        }
    }

    private static LedgerEvent Event() => new()
    {
        Id = EventIds.New(TimeProvider.System),
        Kind = EventKinds.CallRequest,
        Time = DateTimeOffset.UtcNow,
        CallId = "call-1",
        Actor = new EventActor { Subject = "alice" },
        Location = new EventLocation { Server = "bank", GatewayNode = "gw-1" },
        Action = new EventAction { Method = "tools/call", Name = "search", Arguments = JsonSerializer.SerializeToElement(new { query = "x" }) },
    };

    public void Dispose() => _root.Delete(recursive: true);
}
