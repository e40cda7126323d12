namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>The MCP Inspector CLI as README's tour runs it (<c>npx @modelcontextprotocol/inspector --cli …</c>), with the installed bin run by node.</summary>
internal static class InspectorCli
{
    private static string Launcher => Path.Combine(Peers.NodeModules, "@modelcontextprotocol", "inspector", "clients", "launcher", "build", "index.js");

    public static async Task<(int Exit, string Output)> RunAsync(Uri endpoint, string bearer, params string[] args)
    {
        await using var inspector = ChildProcess.Start(Peers.Node22,
            [Launcher, "--cli", endpoint.ToString(), "--transport", "http", "--header", $"Authorization: Bearer {bearer}", .. args],
            workingDirectory: Path.Combine(Peers.RepositoryRoot, "tests", "node"));
        var exit = await inspector.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit, inspector.Output);
    }
}
