using Proctor.Mcp.Pinning;
using Proctor.Storage.Sqlite.ToolPins;

namespace Proctor.Storage.Sqlite.Tests.ToolPins;

public sealed class SqliteToolPinStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_000);
    private static readonly string Old = new('a', 64);
    private static readonly string New = new('b', 64);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("proctor-pins-");

    private string DatabasePath => Path.Combine(_folder.FullName, "data", "proctor.db");

    [Fact]
    public async Task Pin_FirstThenAnother_KeepsTheFirst()
    {
        var store = new SqliteToolPinStore(DatabasePath);

        await store.PinAsync("bank", "search", Old, "proctor:gateway", Now, CancellationToken.None);
        var pin = await new SqliteToolPinStore(DatabasePath).PinAsync("bank", "search", New, "proctor:gateway", Now.AddHours(1), CancellationToken.None);

        Assert.Equal(new ToolPin("bank", "search", Old, Now, "proctor:gateway", null, null), pin);
    }

    [Fact]
    public async Task NoteChange_NewFingerprint_NotedOnceAndNeverThePinnedOne()
    {
        var store = new SqliteToolPinStore(DatabasePath);
        await store.PinAsync("bank", "search", Old, "proctor:gateway", Now, CancellationToken.None);

        Assert.False(await store.NoteChangeAsync("bank", "search", Old, Now, CancellationToken.None));
        Assert.True(await store.NoteChangeAsync("bank", "search", New, Now.AddMinutes(1), CancellationToken.None));
        Assert.False(await store.NoteChangeAsync("bank", "search", New, Now.AddMinutes(2), CancellationToken.None));

        var pin = await store.FindAsync("bank", "search", CancellationToken.None);
        Assert.Equal((Old, New, Now.AddMinutes(1)), (pin!.Fingerprint, pin.Seen, pin.SeenAt));
    }

    [Fact]
    public async Task Accept_NotedChange_PutsItInForceRecordingWho()
    {
        var store = new SqliteToolPinStore(DatabasePath);
        await store.PinAsync("bank", "search", Old, "proctor:gateway", Now, CancellationToken.None);
        await store.NoteChangeAsync("bank", "search", New, Now, CancellationToken.None);

        var acceptance = await new SqliteToolPinStore(DatabasePath).AcceptAsync("bank", "search", New, "cli:alice", Now.AddHours(2), CancellationToken.None);

        Assert.Equal(new ToolPinAcceptance("bank", "search", Old, New), acceptance);
        Assert.Equal(new ToolPin("bank", "search", New, Now.AddHours(2), "cli:alice", null, null), await store.FindAsync("bank", "search", CancellationToken.None));
    }

    [Fact]
    public async Task Accept_NothingNotedOrAnotherNoted_RefusesSayingWhy()
    {
        var store = new SqliteToolPinStore(DatabasePath);
        await store.PinAsync("bank", "search", Old, "proctor:gateway", Now, CancellationToken.None);

        var nothing = await Assert.ThrowsAsync<ToolPinStoreException>(() => store.AcceptAsync("bank", "search", New, "cli:alice", Now, CancellationToken.None));
        await store.NoteChangeAsync("bank", "search", new string('c', 64), Now, CancellationToken.None);
        var another = await Assert.ThrowsAsync<ToolPinStoreException>(() => store.AcceptAsync("bank", "search", New, "cli:alice", Now, CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<ToolPinStoreException>(() => store.AcceptAsync("bank", "run_sql", New, "cli:alice", Now, CancellationToken.None));

        Assert.Contains("no changed definition waiting", nothing.Message, StringComparison.Ordinal);
        Assert.Contains("changed again", another.Message, StringComparison.Ordinal);
        Assert.Contains("is not pinned", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(Old, (await store.FindAsync("bank", "search", CancellationToken.None))!.Fingerprint);
    }

    [Fact]
    public async Task Find_NoDatabaseYet_NothingFoundAndNoFileCreated()
    {
        Assert.Null(await new SqliteToolPinStore(DatabasePath).FindAsync("bank", "search", CancellationToken.None));
        Assert.Empty(await new SqliteToolPinStore(DatabasePath).ListAsync("bank", CancellationToken.None));
        Assert.False(File.Exists(DatabasePath));
    }

    [Fact]
    public async Task Pin_NewDatabase_OwnerOnly()
    {
        await new SqliteToolPinStore(DatabasePath).PinAsync("bank", "search", Old, "proctor:gateway", Now, CancellationToken.None);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(DatabasePath));
        }
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
