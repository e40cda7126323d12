using System.Diagnostics;

namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>Stops and continues a process found by a marker in its command line (a stdio upstream the gateway spawned).</summary>
internal static class Signals
{
    public static int PidOf(string marker)
    {
        using var pgrep = Process.Start(new ProcessStartInfo("pgrep", ["-f", marker]) { RedirectStandardOutput = true })!;
        var output = pgrep.StandardOutput.ReadToEnd();
        pgrep.WaitForExit();
        return int.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single());
    }

    public static void Stop(int pid) => Send("-STOP", pid);

    public static void Continue(int pid) => Send("-CONT", pid);

    private static void Send(string signal, int pid)
    {
        using var kill = Process.Start("kill", [signal, pid.ToString()]);
        kill.WaitForExit();
    }
}
