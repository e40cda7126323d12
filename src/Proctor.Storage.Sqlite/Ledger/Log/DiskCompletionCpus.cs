using System.Globalization;

namespace Proctor.Storage.Sqlite.Ledger.Log;

/// <summary>
/// Which CPUs take the completion interrupts of the disk holding a folder, on Linux, read from <c>/proc</c> and
/// <c>/sys</c>: the mount that holds the folder, its block device, the device's MSI interrupts, and how many of
/// those each CPU has handled. Written here because no library reports it. The ledger's writer waits for
/// <c>fdatasync</c> on one of these CPUs (decision 0063); anything unexpected in those files gives "no answer".
/// </summary>
public static class DiskCompletionCpus
{
    // A CPU counts when it has taken at least this share of the device's interrupts: a device with a queue per CPU
    // spreads them over all CPUs (no placement needed), one with a single queue sends nearly all to one CPU.
    private const double LeastShare = 0.01;

    // Too few interrupts say nothing about where completions go (a disk barely used since boot).
    private const long LeastInterrupts = 1_000;

    /// <summary>
    /// The CPUs, among those this process may run on, that take nearly all of the disk's completion interrupts; null
    /// when they are all of those CPUs, when the disk's interrupts cannot be found, or off Linux.
    /// </summary>
    public static IReadOnlyList<int>? Find(string folder, string proc = "/proc", string sys = "/sys")
    {
        if (!OperatingSystem.IsLinux() && proc == "/proc")
        {
            return null;
        }

        try
        {
            if (DeviceNumber(Path.GetFullPath(folder), File.ReadLines(Path.Combine(proc, "self", "mountinfo"))) is not { } device
                || InterruptsOf(device, sys) is not { Count: > 0 } interrupts)
            {
                return null;
            }

            var handling = CpusHandling(interrupts, File.ReadLines(Path.Combine(proc, "interrupts")), out var online);
            var allowed = AllowedCpus(File.ReadLines(Path.Combine(proc, "self", "status"))) ?? online;
            var chosen = handling.Where(allowed.Contains).Order().ToArray();
            return chosen.Length == 0 || allowed.All(handling.Contains) ? null : chosen;
        }
        catch (Exception)
        {
            // Placement only shortens a wait: no file read here, however odd, may stop the gateway from starting.
            return null;
        }
    }

    /// <summary>The "major:minor" of the mount holding <paramref name="path"/>: the longest mount point above it, the later line on a tie.</summary>
    private static string? DeviceNumber(string path, IEnumerable<string> mountInfo)
    {
        string? device = null;
        var longest = -1;
        foreach (var line in mountInfo)
        {
            var fields = line.Split(' ');
            if (fields.Length < 5)
            {
                continue;
            }

            var mountPoint = Unescape(fields[4]);
            if (Holds(mountPoint, path) && mountPoint.Length >= longest)
            {
                longest = mountPoint.Length;
                device = fields[2];
            }
        }
        return device;
    }

    /// <summary>The MSI interrupt numbers of the block device <paramref name="device"/> ("major:minor"), from sysfs; none if it has no such device.</summary>
    private static IReadOnlySet<int> InterruptsOf(string device, string sys)
    {
        var block = Resolved(Path.Combine(sys, "dev", "block", device));
        if (block is null)
        {
            return new HashSet<int>();
        }

        // A partition's folder sits inside its disk's.
        var disk = File.Exists(Path.Combine(block, "partition")) ? Path.GetDirectoryName(block)! : block;
        // The interrupts belong to the bus device (a PCI function) at or above the disk's device.
        for (var folder = Resolved(Path.Combine(disk, "device")); folder is not null && folder.Length > sys.Length; folder = Path.GetDirectoryName(folder))
        {
            var msi = Path.Combine(folder, "msi_irqs");
            if (Directory.Exists(msi))
            {
                return Directory.EnumerateFileSystemEntries(msi).Select(Path.GetFileName)
                    .Select(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var irq) ? irq : -1)
                    .Where(irq => irq >= 0).ToHashSet();
            }
        }
        return new HashSet<int>();
    }

    /// <summary>The CPUs that took at least <see cref="LeastShare"/> of <paramref name="interrupts"/> in <c>/proc/interrupts</c>; <paramref name="online"/> is every CPU it lists.</summary>
    private static IReadOnlySet<int> CpusHandling(IReadOnlySet<int> interrupts, IEnumerable<string> table, out IReadOnlyList<int> online)
    {
        using var lines = table.GetEnumerator();
        online = lines.MoveNext()
            ? lines.Current.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(column => int.Parse(column.AsSpan(3), CultureInfo.InvariantCulture)).ToArray()
            : [];
        var counts = new long[online.Count];
        while (lines.MoveNext())
        {
            var fields = lines.Current.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length <= online.Count || !fields[0].EndsWith(':')
                || !int.TryParse(fields[0].AsSpan(0, fields[0].Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var irq) || !interrupts.Contains(irq))
            {
                continue;
            }
            for (var column = 0; column < online.Count; column++)
            {
                counts[column] += long.Parse(fields[column + 1], NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }

        var total = counts.Sum();
        var cpus = online;
        return total < LeastInterrupts
            ? new HashSet<int>()
            : Enumerable.Range(0, counts.Length).Where(column => counts[column] >= total * LeastShare).Select(column => cpus[column]).ToHashSet();
    }

    /// <summary>The CPUs of "Cpus_allowed_list" in <c>/proc/self/status</c> ("0-3,8"), or null without that line.</summary>
    internal static IReadOnlyList<int>? AllowedCpus(IEnumerable<string> status)
    {
        const string Key = "Cpus_allowed_list:";
        var line = status.FirstOrDefault(line => line.StartsWith(Key, StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var cpus = new List<int>();
        foreach (var range in line[Key.Length..].Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = range.Split('-');
            var first = int.Parse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture);
            var last = bounds.Length == 2 ? int.Parse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture) : first;
            cpus.AddRange(Enumerable.Range(first, last - first + 1));
        }
        return cpus;
    }

    private static bool Holds(string mountPoint, string path) =>
        mountPoint == "/" || path == mountPoint || path.StartsWith(mountPoint + "/", StringComparison.Ordinal);

    /// <summary>mountinfo writes a space, tab, newline and backslash in a path as \040, \011, \012 and \134.</summary>
    private static string Unescape(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);

    /// <summary>The folder a sysfs link leads to (sysfs is links all the way), or null when it does not exist.</summary>
    private static string? Resolved(string path)
    {
        if (!Directory.Exists(path))
        {
            return null;
        }
        return Directory.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
    }
}
