using System.Runtime.Versioning;
using Microsoft.Data.Sqlite;
using ModelContextProtocol.Client;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Evidence;

/// <summary>
/// Real file modes of everything the gateway and the CLI write into the data folder: the folder 0700, the
/// ledger database and SQLite's -wal and -shm 0600, the private keys 0600; a folder left 0755 with a 0644
/// database by an earlier version is tightened at start (and the log says so); a shared folder is refused.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class FilePermissionTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateFolder = Private | UnixFileMode.UserExecute;
    private const UnixFileMode OthersBits = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("proctor-modes-");

    private string DataFolder => Path.Combine(_root.FullName, "var", "proctor-data");

    private string DatabasePath => Path.Combine(DataFolder, "proctor.db");

    [Fact]
    public async Task Gateway_FreshDataFolder_EverythingItWritesIsOwnerOnly()
    {
        await using var gateway = await StartAsync();
        await using (var client = await Clients.ConnectAsync(gateway.Mcp("everything"), "2025-11-25"))
        {
            await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "recorded" });
        }

        Assert.Equal(PrivateFolder, File.GetUnixFileMode(DataFolder));
        foreach (var name in new[] { "proctor.db", "proctor.db-wal", "proctor.db-shm", "ledger-signing.key", "masking-token.key" })
        {
            var path = Path.Combine(DataFolder, name);
            Assert.True(File.Exists(path), $"{name} was not written");
            Assert.True(File.GetUnixFileMode(path) == Private, $"{name} is {File.GetUnixFileMode(path)}");
        }
    }

    [Fact]
    public async Task Gateway_FolderAndDatabaseLeftOpenByAnEarlierVersion_TightenedAtStartAndLogged()
    {
        Directory.CreateDirectory(DataFolder);
        File.SetUnixFileMode(DataFolder, PrivateFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await using (var old = new SqliteConnection($"Data Source={DatabasePath};Pooling=false"))
        {
            await old.OpenAsync(); // SQLite's own default: 0644 less the umask
            await using var command = old.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE t(x);";
            await command.ExecuteNonQueryAsync();
        }

        File.SetUnixFileMode(DatabasePath, Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var log = new CapturedLog();

        await using var gateway = await StartAsync(log);

        Assert.Equal(PrivateFolder, File.GetUnixFileMode(DataFolder) & (PrivateFolder | OthersBits));
        Assert.Equal(Private, File.GetUnixFileMode(DatabasePath));
        Assert.Contains(log.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("[2260]", StringComparison.Ordinal) && line.Contains($"{DataFolder} was open to other users (mode 0755); it is now 0700", StringComparison.Ordinal));
        Assert.Contains(log.Lines, line => line.Contains("[2260]", StringComparison.Ordinal) && line.Contains($"{DatabasePath} was open to other users (mode 0644); it is now 0600", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KeysCreate_BeforeTheGatewayEverRan_CreatesTheDatabaseOwnerOnly()
    {
        var config = await WriteConfigAsync();

        var (exit, output) = await ProctorCli.RunAsync("keys", "create", "--name", "ci-bot", "--expires", "1d", "--config", config);

        Assert.True(exit == 0, output);
        Assert.Equal(PrivateFolder, File.GetUnixFileMode(DataFolder));
        Assert.Equal(Private, File.GetUnixFileMode(DatabasePath));
        Assert.All(Directory.GetFiles(DataFolder), file => Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(file) & OthersBits));
    }

    [Fact]
    public async Task Serve_DataFolderSharedLikeTmp_RefusedWithExitCode2AndWhatToDo()
    {
        Directory.CreateDirectory(DataFolder);
        File.SetUnixFileMode(DataFolder, PrivateFolder | OthersBits | UnixFileMode.StickyBit);
        var config = await WriteConfigAsync();

        var (exit, output) = await ProctorCli.RunAsync("serve", "--config", config);

        Assert.True(exit == 2, output);
        Assert.Contains($"error: storage.path: the folder {DataFolder} is shared with other users (mode 1777, like /tmp)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.False(File.Exists(DatabasePath));
    }

    private Task<GatewayUnderTest> StartAsync(CapturedLog? log = null) =>
        GatewayUnderTest.StartAsync($$"""
              everything:
                command: "node"
                args: ["{{Peers.EverythingServer}}", "stdio"]
            """, $"storage:\n  path: \"{DatabasePath}\"", log: log);

    private async Task<string> WriteConfigAsync()
    {
        var config = Path.Combine(_root.FullName, "proctor.yaml");
        await File.WriteAllTextAsync(config, $$"""
            gateway:
              listen: "http://127.0.0.1:{{Ports.Free()}}"
            storage:
              path: "{{DatabasePath}}"
            upstreams:
              everything:
                command: "node"
                args: ["{{Peers.EverythingServer}}", "stdio"]
            """);
        return config;
    }

    public void Dispose()
    {
        if (Directory.Exists(DataFolder))
        {
            File.SetUnixFileMode(DataFolder, PrivateFolder);
        }

        _root.Delete(recursive: true);
    }
}
