namespace Proctor.Storage.Sqlite.Files;

/// <summary>
/// The gateway's database (ledger, agent-key hashes) is for the gateway's user only: its folder 0700, the file
/// and SQLite's <c>-wal</c>, <c>-shm</c> and <c>-journal</c> companions 0600, as the key files beside them.
/// SQLite creates a new database 0644 (less the umask) and gives each companion its database's mode, so the
/// database is created here, empty (which SQLite reads as an empty database), with the right mode first.
/// See docs/decisions/0015-hostile-input-and-private-files.md.
/// </summary>
public static class OwnerOnlyDatabase
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode OthersBits =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static readonly string[] Companions = ["", "-wal", "-shm", "-journal"];

    /// <summary>Creates the folder (0700) and an empty database file (0600) where they do not exist yet; leaves existing ones as they are.</summary>
    public static void Create(string databasePath)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(databasePath))!;
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, FolderMode);
        }

        try
        {
            using var created = new FileStream(databasePath, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode });
        }
        catch (IOException) when (File.Exists(databasePath))
        {
            // Created meanwhile (another process, or it existed): SQLite opens it as it is.
        }
    }

    /// <summary>
    /// For the gateway at start: creates what is missing (<see cref="Create"/>) and takes group and other
    /// permissions off the folder and the database files it finds, which earlier versions created 0755/0644.
    /// </summary>
    /// <returns>One sentence per permission changed, for the gateway's log.</returns>
    /// <exception cref="UnsafeStorageException">The folder is shared (sticky, like /tmp) or cannot be made private by this user.</exception>
    public static IReadOnlyList<string> Secure(string databasePath)
    {
        if (OperatingSystem.IsWindows())
        {
            return [];
        }

        var path = Path.GetFullPath(databasePath);
        var folder = Path.GetDirectoryName(path)!;
        var changed = new List<string>();
        if (Directory.Exists(folder))
        {
            var mode = File.GetUnixFileMode(folder);
            if ((mode & OthersBits) != 0 && (mode & UnixFileMode.StickyBit) != 0)
            {
                throw new UnsafeStorageException(
                    $"storage.path: the folder {folder} is shared with other users (mode {Octal(mode)}, like /tmp), and the audit ledger needs a folder of its own. Point storage.path into a dedicated folder, e.g. \"/var/lib/proctor/proctor.db\".");
            }

            Tighten(folder, mode, "folder", changed);
        }

        foreach (var suffix in Companions)
        {
            var file = path + suffix;
            if (File.Exists(file))
            {
                Tighten(file, File.GetUnixFileMode(file), "file", changed);
            }
        }

        Create(path);
        return changed;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Tighten(string path, UnixFileMode mode, string what, List<string> changed)
    {
        if ((mode & OthersBits) == 0)
        {
            return;
        }

        var tightened = mode & ~OthersBits;
        try
        {
            File.SetUnixFileMode(path, tightened);
        }
        catch (UnauthorizedAccessException)
        {
            throw new UnsafeStorageException(
                $"storage.path: the {what} {path} is open to other users (mode {Octal(mode)}) and belongs to another user, so the gateway cannot make it private. As its owner run: chmod {Octal(tightened)} {path}; or point storage.path into a folder of the gateway's own.");
        }

        changed.Add($"{path} was open to other users (mode {Octal(mode)}); it is now {Octal(tightened)}. Whatever it held until now may have been read by them.");
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0xFFF, 8).PadLeft(4, '0');
}

/// <summary>The data folder or database cannot be kept private to the gateway's user; the message says what to do.</summary>
public sealed class UnsafeStorageException(string message) : Exception(message);
