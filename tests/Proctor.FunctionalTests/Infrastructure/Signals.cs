using System.Diagnostics;

namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>POSIX signals to a test's child process, as an orchestrator sends them (ECS task stop, pod deletion: SIGTERM).</summary>
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
}
