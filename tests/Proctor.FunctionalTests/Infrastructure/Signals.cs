using System.Diagnostics;

namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>POSIX signals to a test's child process: SIGTERM as an orchestrator sends it (ECS task stop, pod deletion), SIGSTOP/SIGCONT to freeze a stdio upstream the gateway spawned (found by a marker in its command line).</summary>
internal static class Signals
{
    /// <summary>SIGTERM to that process alone (not its group), through kill(1).</summary>
    public static void Terminate(int processId)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit(5000);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {processId} exited with {kill.ExitCode}.");
        }
    }

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
