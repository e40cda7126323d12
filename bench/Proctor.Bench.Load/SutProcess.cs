using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Proctor.Bench.Load;

/// <summary>
/// A process the driver started (a gateway or an upstream), with its whole process tree. Stopping it
/// kills the tree, including children that put themselves in another process group (supergateway does);
/// every started process is also killed when the driver exits or is interrupted.
/// </summary>
internal sealed class SutProcess : IDisposable
{
    private static readonly ConcurrentDictionary<SutProcess, byte> Live = new();
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _recentOutput = new();
    private readonly Dictionary<int, ulong> _seen = []; // pid → start time, every descendant ever observed
    private int _disposed;

    private SutProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        StartTime = ProcStartTime(process.Id);
        _seen[process.Id] = StartTime;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public ulong StartTime { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>stdin/stdout of the process when started with <c>protocolPipes</c>.</summary>
    public Stream StandardInput => _process.StandardInput.BaseStream;

    public Stream StandardOutput => _process.StandardOutput.BaseStream;

    /// <summary>
    /// Starts <paramref name="file"/> with stdin held open (a pipe closed only by <see cref="Dispose"/>),
    /// stderr, and stdout unless <paramref name="protocolPipes"/>, drained into a short ring buffer.
    /// </summary>
    public static SutProcess Start(string name, string file, IEnumerable<string> args, bool protocolPipes = false, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        process.Start();
        var sut = new SutProcess(name, process);
        Live[sut] = 0;
        _ = Task.Run(() => sut.DrainAsync(process.StandardError));
        if (!protocolPipes)
        {
            _ = Task.Run(() => sut.DrainAsync(process.StandardOutput));
        }

        return sut;
    }

    public string RecentOutput() => string.Join(Environment.NewLine, _recentOutput);

    /// <summary>The process and all its descendants alive now (found by parent pid in /proc).</summary>
    public IReadOnlyList<int> Tree()
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && ReadStat(pid) is { } stat)
            {
                if (!children.TryGetValue(stat.ParentPid, out var list))
                {
                    children[stat.ParentPid] = list = [];
                }

                list.Add(pid);
            }
        }

        var tree = new List<int>();
        if (_process.HasExited)
        {
            return tree;
        }

        var queue = new Queue<int>([Pid]);
        while (queue.TryDequeue(out var pid))
        {
            tree.Add(pid);
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                queue.Enqueue(child);
            }
        }

        lock (_seen)
        {
            foreach (var pid in tree)
            {
                _seen.TryAdd(pid, ProcStartTime(pid));
            }
        }

        return tree;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            Tree(); // remember the current descendants before the parent goes
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            // Children that outlived their parent (reparented) are killed by pid, if still the same process.
            lock (_seen)
            {
                foreach (var (pid, started) in _seen)
                {
                    if (started != 0 && ProcStartTime(pid) == started)
                    {
                        Kill(pid);
                    }
                }
            }

            _process.WaitForExit(5000);
        }
        finally
        {
            Live.TryRemove(this, out _);
            _process.Dispose();
        }
    }

    /// <summary>Kills every process the driver started that is still alive (exit, Ctrl+C).</summary>
    public static void KillAll()
    {
        foreach (var sut in Live.Keys)
        {
            try
            {
                sut.Dispose();
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
            {
            }
        }
    }

    /// <summary>VmHWM (peak resident set) of one process in bytes, or 0 if it is gone.</summary>
    public static long PeakRss(int pid) => ReadStatusKb(pid, "VmHWM:") * 1024;

    /// <summary>Current RSS (VmRSS) of one process in bytes, or 0 if it is gone.</summary>
    public static long Rss(int pid) => ReadStatusKb(pid, "VmRSS:") * 1024;

    /// <summary>Resets VmHWM to the current RSS (writes 5 to /proc/PID/clear_refs); false where not permitted.</summary>
    public static bool ResetPeakRss(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The arguments of a process (argv), empty if it is gone.</summary>
    public static string[] Arguments(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>CPU time (user + system, in clock ticks of 10 ms) and read syscalls of one process so far.</summary>
    /// <summary>Context switches (voluntary and involuntary) of every live thread of the process: each is a wake-up or a preemption.</summary>
    public static long ContextSwitches(int pid)
    {
        long switches = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                    {
                        if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                        {
                            switches += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                        }
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // the thread ended meanwhile
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        return switches;
    }

    public static (long CpuTicks, long ReadCalls) Usage(int pid)
    {
        long cpu = 0, reads = 0;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // fields[0] is field 3 (state)
            cpu = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture); // utime, stime
            foreach (var line in File.ReadLines($"/proc/{pid}/io"))
            {
                if (line.StartsWith("syscr:", StringComparison.Ordinal))
                {
                    reads = long.Parse(line.AsSpan("syscr:".Length).Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
        }

        return (cpu, reads);
    }

    private static long ReadStatusKb(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return 0;
    }

    private static ulong ProcStartTime(int pid) => ReadStat(pid)?.StartTime ?? 0;

    /// <summary>Parent pid (field 4) and start time (field 22) from /proc/PID/stat.</summary>
    private static (int ParentPid, ulong StartTime)? ReadStat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // fields[0] is field 3 (state)
            return (int.Parse(fields[1], CultureInfo.InvariantCulture), ulong.Parse(fields[19], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private async Task DrainAsync(StreamReader reader)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                _recentOutput.Enqueue(line);
                while (_recentOutput.Count > 40)
                {
                    _recentOutput.TryDequeue(out _);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }
}
