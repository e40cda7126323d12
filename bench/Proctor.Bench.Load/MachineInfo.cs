using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Proctor.Bench.Load;

/// <summary>The machine the numbers were taken on.</summary>
internal sealed record MachineInfo(int Cores, string Cpu, string Memory, string OperatingSystem, string Kernel, string DotNet, string Node, string Commit)
{
    public static MachineInfo Capture(string node, string repositoryRoot) => new(
        Environment.ProcessorCount,
        ReadField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        ReadField("/proc/meminfo", "MemTotal") is { } total && long.TryParse(total.Split(' ')[0], out var kb) ? $"{kb / 1048576.0:0.0} GiB" : "unknown",
        ReadOsRelease() ?? RuntimeInformation.OSDescription,
        File.Exists("/proc/sys/kernel/osrelease") ? "Linux " + File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        Run(node, "--version") ?? "not found",
        DescribeCommit(repositoryRoot));

    /// <summary>The commit the binaries were built from, and whether the work tree had changes.</summary>
    private static string DescribeCommit(string root)
    {
        var head = Run("git", $"-C \"{root}\" rev-parse --short HEAD");
        if (string.IsNullOrEmpty(head))
        {
            return "unknown";
        }

        var changes = Run("git", $"-C \"{root}\" status --porcelain --untracked-files=no");
        return string.IsNullOrEmpty(changes) ? head : $"{head} with uncommitted changes";
    }

    /// <summary>The 1, 5 and 15 minute load averages.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string? ReadField(string file, string name)
    {
        try
        {
            return File.ReadLines(file)
                .Where(line => line.StartsWith(name, StringComparison.Ordinal))
                .Select(line => line[(line.IndexOf(':') + 1)..].Trim())
                .FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? ReadOsRelease()
    {
        try
        {
            return File.ReadLines("/etc/os-release")
                .Where(line => line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                .Select(line => line["PRETTY_NAME=".Length..].Trim('"'))
                .FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? Run(string file, string argument)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, argument) { RedirectStandardOutput = true, UseShellExecute = false });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            if (!process.WaitForExit(10_000))
            {
                process.Kill();
            }

            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
