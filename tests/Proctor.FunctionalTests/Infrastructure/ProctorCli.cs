namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>The real <c>proctor</c> binary run as an operator or examiner would, bounded in time.</summary>
internal static class ProctorCli
{
    public static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        await using var process = ChildProcess.Start("dotnet", [Peers.ProctorDll, .. args], new Dictionary<string, string> { ["COLUMNS"] = "200" });
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit, process.Output);
    }
}
