using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Cli;

/// <summary>
/// A reader's second terminal: runs README tour commands with bash, in one clean folder, with the
/// variables the tour exports. A command is run as written except for these rewrites, and only these:
/// <list type="bullet">
/// <item>the documented placeholders: <c>&lt;the analyst's token&gt;</c> and the other identities' tokens
/// (as the demo printed them), <c>&lt;session-id&gt;</c> and <c>&lt;event-id&gt;</c> (as the previous
/// commands printed them); any other <c>&lt;…&gt;</c> fails the test;</item>
/// <item><c>http://127.0.0.1:8080</c> becomes a free port, as step 1 documents with <c>--listen</c>, which
/// the demo's command gets;</item>
/// <item><c>npx -y @modelcontextprotocol/inspector@V</c> runs the copy tests/node installed (same V, asserted)
/// with its Node 22, so the test needs no registry lookup;</item>
/// <item><c>dotnet run --project src/Proctor --</c> starts the build under test: for the demo through
/// <c>dotnet run --no-build</c> itself (so the data folder is where <c>dotnet run</c> really puts it), for the
/// other commands as <c>dotnet proctor.dll</c> (the same program without an MSBuild evaluation each time,
/// about 8 s apiece on the CI machine).</item>
/// </list>
/// </summary>
internal sealed partial class TourShell(string folder, int port)
{
    private const string Documented = "http://127.0.0.1:8080";
    private const string ProctorPrefix = "dotnet run --project src/Proctor -- ";
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _placeholders = new(StringComparer.Ordinal);

    public string Folder => folder;

    public string Address => $"http://127.0.0.1:{port}";

    public static string InspectorBin => Path.Combine(Peers.NodeModules, "@modelcontextprotocol", "inspector", "clients", "launcher", "build", "index.js");

    /// <summary>Binds a documented placeholder (<c>&lt;session-id&gt;</c>) to the value a reader would paste.</summary>
    public void Bind(string placeholder, string value) => _placeholders[placeholder] = value;

    /// <summary>The text with the documented port replaced, for comparing README text with what the product prints.</summary>
    public string AtPort(string text) => text.Replace(Documented, Address, StringComparison.Ordinal);

    /// <summary>Runs one command to its end (bounded); an <c>export NAME=VALUE</c> line sets the variable for the next ones.</summary>
    public async Task<(int Exit, string Output)> RunAsync(string command, TimeSpan? timeout = null)
    {
        var rewritten = Rewrite(command);
        if (ExportLine().Match(rewritten) is { Success: true } export)
        {
            _environment[export.Groups[1].Value] = export.Groups[2].Value;
            return (0, "");
        }

        await using var process = Start(rewritten);
        try
        {
            var exit = await process.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(90));
            return (exit, process.Output);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"README command did not finish: {command}\n{process.Output}");
        }
    }

    /// <summary>Starts a command that runs until stopped (the demo, serve); the caller disposes it to stop it.</summary>
    public ChildProcess StartLongRunning(string command) => Start(Rewrite(command));

    private ChildProcess Start(string rewritten) => ChildProcess.Start("bash", ["-c", rewritten], _environment, folder);

    private string Rewrite(string command)
    {
        var text = AtPort(command);
        text = InspectorCommand().Replace(text, match =>
        {
            Assert.Equal(InstalledInspectorVersion(), match.Groups["version"].Value); // the README names the version the test proves
            return $"{Quote(Peers.Node22)} {Quote(InspectorBin)} ";
        });
        if (text.StartsWith(ProctorPrefix + "demo", StringComparison.Ordinal))
        {
            var project = Path.Combine(Peers.RepositoryRoot, "src", "Proctor");
            text = $"dotnet run --no-build -c {BuildConfiguration} --project {Quote(project)} -- {text[ProctorPrefix.Length..]} --listen {Address}";
        }
        else if (text.StartsWith(ProctorPrefix, StringComparison.Ordinal))
        {
            text = $"dotnet {Quote(Peers.ProctorDll)} {text[ProctorPrefix.Length..]}";
        }

        foreach (var (placeholder, value) in _placeholders)
        {
            text = text.Replace(placeholder, value, StringComparison.Ordinal);
        }

        Assert.False(text.Contains("npx ", StringComparison.Ordinal), $"README runs the Inspector in a form the test does not recognise (write npx -y @modelcontextprotocol/inspector@VERSION): {command}");
        Assert.False(Placeholder().IsMatch(text), $"README command has a placeholder the tour does not explain or the test cannot fill: {command}");
        return text;
    }

    private static string InstalledInspectorVersion()
    {
        var package = Path.Combine(Peers.NodeModules, "@modelcontextprotocol", "inspector", "package.json");
        return (string)JsonNode.Parse(File.ReadAllText(package))!["version"]!;
    }

    /// <summary>Release or Debug, as the test itself was built (bin/CONFIG/net10.0/).</summary>
    private static string BuildConfiguration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^export ([A-Z_]+)=(\S+)$")]
    private static partial Regex ExportLine();

    [GeneratedRegex(@"npx -y @modelcontextprotocol/inspector@(?<version>[0-9][0-9A-Za-z.\-]*) ")]
    private static partial Regex InspectorCommand();

    [GeneratedRegex(@"<[A-Za-z][A-Za-z' \-]*>")]
    private static partial Regex Placeholder();
}
