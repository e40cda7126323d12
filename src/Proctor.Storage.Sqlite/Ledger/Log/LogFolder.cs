using System.Globalization;

namespace Proctor.Storage.Sqlite.Ledger.Log;

/// <summary>
/// The files of one ledger log: segments named by the index of their first entry (<c>00000000000000000000.seg</c>), the
/// writer lock, the purge journal, and zero-filled spares waiting to become the next segment.
/// </summary>
internal sealed class LogFolder(string path)
{
    private const string SegmentSuffix = ".seg";
    private const int SegmentDigits = 20;

    public string Path { get; } = path;

    public string LockPath => System.IO.Path.Combine(Path, "lock");

    public string JournalPath => System.IO.Path.Combine(Path, "purge.journal");

    /// <summary>The log folder that goes with a ledger database: <c>proctor.db</c> → <c>proctor.ledger</c>, beside it.</summary>
    public static string For(string databasePath) => System.IO.Path.ChangeExtension(databasePath, ".ledger");

    /// <summary>Creates the folder, owner-only as the database beside it (<see cref="Files.OwnerOnlyDatabase"/>), unless it exists.</summary>
    public void Create()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Path);
            return;
        }
        Directory.CreateDirectory(Path, Files.OwnerOnlyDatabase.FolderMode);
    }

    public string SegmentPath(long firstIndex) =>
        System.IO.Path.Combine(Path, firstIndex.ToString(CultureInfo.InvariantCulture).PadLeft(SegmentDigits, '0') + SegmentSuffix);

    public string SparePath() => System.IO.Path.Combine(Path, $"spare-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");

    /// <summary>The first indexes of the segments present, ascending.</summary>
    public long[] ListSegments()
    {
        if (!Directory.Exists(Path))
        {
            return [];
        }
        var firsts = new List<long>();
        foreach (var file in Directory.EnumerateFiles(Path, "*" + SegmentSuffix))
        {
            var name = System.IO.Path.GetFileNameWithoutExtension(file);
            if (name.Length == SegmentDigits && long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var first))
            {
                firsts.Add(first);
            }
        }
        firsts.Sort();
        return [.. firsts];
    }

    /// <summary>Spares left by processes that are gone (a spare is only ever half written when its process died).</summary>
    public IEnumerable<string> AbandonedSpares() => Directory.Exists(Path)
        ? Directory.EnumerateFiles(Path, "spare-*.tmp").Where(file => !IsRunning(System.IO.Path.GetFileName(file).Split('-')[1]))
        : [];

    private static bool IsRunning(string pid) => pid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture) || Directory.Exists($"/proc/{pid}");
}
