using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ModelContextProtocol.Client;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Cli;

/// <summary>
/// README.md's "A five-minute tour" run as written, from a clean folder, against a real <c>proctor demo</c>
/// (then <c>serve</c>): every command of every step, each command's exit code, and what the README says it
/// shows. The commands are read from README.md itself (<see cref="ReadmeTour"/>; <see cref="TourShell"/>
/// lists the only rewrites), so editing the tour without fixing the product, or changing the product
/// without the tour, fails here. Assertions are the README's promises, not incidental output.
/// </summary>
public sealed partial class ReadmeTourTests
{
    private static readonly string Readme = Path.Combine(Peers.RepositoryRoot, "README.md");
    private static readonly string[] Identities = ["analyst", "supervisor", "auditor", "agent"];

    [Fact]
    public void Tour_Steps_AreNumberedAndEveryCommandStepHasCommands()
    {
        var tour = ReadmeTour.Load(Readme);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7], tour.Steps.Select(s => s.Number));
        Assert.All(new[] { 1, 2, 3, 4, 5, 6, 7 }, n => Assert.NotEmpty(tour.Step(n).Commands));
        Assert.Single(tour.Step(7).Json);
    }

    [Fact]
    public async Task Tour_EveryCommandAsWritten_DoesWhatTheReadmeSays()
    {
        Peers.RequireInstalled();
        var tour = ReadmeTour.Load(Readme);
        var folder = Directory.CreateTempSubdirectory("proctor-tour-").FullName;
        var shell = new TourShell(folder, Ports.Free());
        try
        {
            Dictionary<string, string> credentials;
            await using (var demo = shell.StartLongRunning(Assert.Single(tour.Step(1).Commands, c => c.EndsWith("-- demo", StringComparison.Ordinal))))
            {
                credentials = await Step1_DemoStartsInTheCurrentFolderAsync(tour.Step(1), shell, demo);
                await Step2And3_InspectorListsAndCallsMaskedAsync(tour, shell, demo);
                await Step4_TheLedgerVerifiesReplaysAndProvesAsync(tour.Step(4), shell);
                await Step5_ReadinessAndMetricsAsync(tour.Step(5), shell);
            }

            await using (await Step6_ServeRunsTheWrittenConfigurationAsync(tour.Step(6), shell, credentials["analyst"]))
            {
                await Step7_ClientConfigurationConnectsWithEveryCredentialAsync(tour.Step(7), shell, credentials);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<Dictionary<string, string>> Step1_DemoStartsInTheCurrentFolderAsync(TourStep step, TourShell shell, ChildProcess demo)
    {
        Assert.Contains("--listen http://127.0.0.1:", step.Text, StringComparison.Ordinal); // the documented way to choose the port, which the test uses
        await Eventually.TrueAsync(() => demo.HasExited || demo.Output.Contains("\"inputs\"", StringComparison.Ordinal), TimeSpan.FromSeconds(180));
        Assert.False(demo.HasExited, demo.Output);

        // "everything it writes in .proctor/ under the folder it was started from", printed first
        var printed = Regex.Match(demo.Output, @"^Demo data:\s+(\S+)", RegexOptions.Multiline);
        Assert.True(printed.Success, demo.Output);
        Assert.Equal(Path.Combine(shell.Folder, ".proctor"), printed.Groups[1].Value);
        Assert.True(File.Exists(Path.Combine(shell.Folder, ".proctor", "proctor.yaml")), demo.Output);

        var credentials = Identities.ToDictionary(name => name, name => Regex.Match(demo.Output, $@"^\s+{name}:\s+(\S+)\s*$", RegexOptions.Multiline).Groups[1].Value);
        Assert.All(credentials, c => Assert.False(string.IsNullOrEmpty(c.Value), $"the demo printed no credential for {c.Key}:\n{demo.Output}"));
        foreach (var name in Identities)
        {
            shell.Bind($"<the {name}'s token>", credentials[name]);
        }

        foreach (var command in step.Commands.Where(c => !c.EndsWith("-- demo", StringComparison.Ordinal)))
        {
            await RunAsync(shell, command);
        }

        return credentials;
    }

    private static async Task Step2And3_InspectorListsAndCallsMaskedAsync(ReadmeTour tour, TourShell shell, ChildProcess demo)
    {
        var list = Assert.Single(tour.Step(2).Commands);
        var listed = await RunAsync(shell, list);
        Assert.Contains("\"bank__search_customers\"", listed, StringComparison.Ordinal);

        var call = Assert.Single(tour.Step(3).Commands);
        var called = await RunAsync(shell, call);
        Assert.Matches(@"\*\*\*-\*\*-\d{4}", called); // SSNs as ***-**-1832
        Assert.Matches(@"\*{12}\d{4}", called); // cards as ************6469
        Assert.DoesNotMatch(UnmaskedSsn(), called);

        // The demo prints the same commands as the README, and logs one line per call.
        Assert.Contains(shell.AtPort(list), demo.Output, StringComparison.Ordinal);
        Assert.Contains(shell.AtPort(call), demo.Output, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => CallLogLine().IsMatch(demo.Output), TimeSpan.FromSeconds(10));
    }

    private static async Task Step4_TheLedgerVerifiesReplaysAndProvesAsync(TourStep step, TourShell shell)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var session = "";
        foreach (var command in step.Commands)
        {
            var verb = Verb(command);
            seen.Add(verb);
            var output = verb == "audit proof" ? await ProofOnceCheckpointedAsync(shell, command) : await RunAsync(shell, command);
            switch (verb)
            {
                case "audit verify":
                    Assert.StartsWith("Intact", output.Trim(), StringComparison.Ordinal);
                    break;
                case "sessions list": // newest first: the session of step 3
                    session = SessionId().Match(output).Value;
                    Assert.False(session.Length == 0, output);
                    shell.Bind("<session-id>", session);
                    break;
                case "sessions show": // any event will do; the oldest is the likeliest to be under a signed checkpoint already
                    var first = EventId().Match(output);
                    Assert.True(first.Success, output);
                    shell.Bind("<event-id>", first.Value);
                    break;
                case "sessions replay":
                    Assert.Contains("search_customers", output, StringComparison.Ordinal);
                    Assert.DoesNotMatch(UnmaskedSsn(), output);
                    break;
                case "audit verify-proof":
                    Assert.StartsWith("Valid", output.Trim(), StringComparison.Ordinal);
                    break;
                case "curl":
                    Assert.Contains(session, output, StringComparison.Ordinal); // the same records over HTTP
                    break;
                case "evidence export":
                    Assert.StartsWith("Exported", output.Trim(), StringComparison.Ordinal);
                    break;
                case "evidence verify":
                    Assert.StartsWith("VERIFIED", output.Trim(), StringComparison.Ordinal);
                    break;
            }
        }

        Assert.Equal(["audit proof", "audit verify", "audit verify-proof", "curl", "evidence export", "evidence verify", "sessions list", "sessions replay", "sessions show"], seen.Order(StringComparer.Ordinal));
    }

    private static async Task Step5_ReadinessAndMetricsAsync(TourStep step, TourShell shell)
    {
        var outputs = new List<string>();
        foreach (var command in step.Commands)
        {
            outputs.Add(await RunAsync(shell, command));
        }

        var ready = outputs[Index(step, "/readyz")];
        Assert.Contains("\"bank\"", ready, StringComparison.Ordinal); // each upstream ...
        Assert.Contains("ready", ready, StringComparison.Ordinal); // ... and whether it is ready
        var metrics = outputs[Index(step, "/metrics")];
        var named = MetricName().Matches(step.Text).Select(m => m.Value).ToList();
        Assert.NotEmpty(named);
        Assert.All(named, name => Assert.Contains(name, metrics, StringComparison.Ordinal));
    }

    private static async Task<ChildProcess> Step6_ServeRunsTheWrittenConfigurationAsync(TourStep step, TourShell shell, string analyst)
    {
        Assert.Contains(".proctor/proctor.yaml", step.Text, StringComparison.Ordinal);
        Assert.Contains("# ", await File.ReadAllTextAsync(Path.Combine(shell.Folder, ".proctor", "proctor.yaml")), StringComparison.Ordinal); // commented

        var serve = shell.StartLongRunning(Assert.Single(step.Commands));
        try
        {
            await Ports.WaitForListeningAsync(new Uri(shell.Address).Port, TimeSpan.FromSeconds(90));
            await using var client = await Clients.ConnectAsync(new Uri(shell.Address + "/mcp"), "2025-11-25", bearer: analyst); // "the tokens it printed stay valid"
            var result = await client.CallToolAsync("bank__search_customers", new Dictionary<string, object?> { ["query"] = "Smith" });
            Assert.Matches(@"\*\*\*-\*\*-\d{4}", Clients.Text(result));
            return serve;
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }
    }

    private static async Task Step7_ClientConfigurationConnectsWithEveryCredentialAsync(TourStep step, TourShell shell, Dictionary<string, string> credentials)
    {
        var created = await RunAsync(shell, Assert.Single(step.Commands));
        var newKey = AgentKey().Match(created).Value;
        Assert.False(newKey.Length == 0, created);

        var configuration = JsonNode.Parse(shell.AtPort(Assert.Single(step.Json).Content))!;
        var server = configuration["servers"]!["proctor"]!;
        Assert.Equal("http", (string?)server["type"]);
        var input = (string)Assert.Single(configuration["inputs"]!.AsArray())!["id"]!;
        foreach (var credential in new[] { credentials["analyst"], credentials["agent"], newKey })
        {
            var headers = server["headers"]!.AsObject().ToDictionary(h => h.Key, h => ((string)h.Value!).Replace($"${{input:{input}}}", credential, StringComparison.Ordinal));
            var transport = new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = new Uri((string)server["url"]!),
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = headers,
            });
            await using var client = await McpClient.CreateAsync(transport);
            Assert.Contains("bank__search_customers", (await client.ListToolsAsync()).Select(t => t.Name));
        }
    }

    /// <summary>Runs one README command and asserts it succeeded, as a reader would see it.</summary>
    private static async Task<string> RunAsync(TourShell shell, string command)
    {
        var (exit, output) = await shell.RunAsync(command);
        Assert.True(exit == 0, $"README command exited {exit}: {command}\n{output}");
        return output;
    }

    /// <summary>
    /// The gateway signs a checkpoint every 10 s (not configurable); a proof needs one that covers the
    /// event. The earlier steps usually took longer than that already, so this rarely waits.
    /// </summary>
    private static async Task<string> ProofOnceCheckpointedAsync(TourShell shell, string command)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var (exit, output) = await shell.RunAsync(command);
            if (exit == 0 || !output.Contains("not yet covered", StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                Assert.True(exit == 0, $"README command exited {exit}: {command}\n{output}");
                return output;
            }

            await Task.Delay(500);
        }
    }

    /// <summary>What a step-4 command does: "audit verify", "sessions list", …, or "curl".</summary>
    private static string Verb(string command) =>
        command.StartsWith("curl ", StringComparison.Ordinal) ? "curl" : string.Join(' ', command.Split(" -- ", 2)[^1].Split(' ').Take(2));

    private static int Index(TourStep step, string ending)
    {
        var commands = step.Commands.ToList();
        var index = commands.FindIndex(c => c.EndsWith(ending, StringComparison.Ordinal));
        Assert.True(index >= 0, $"README tour step {step.Number} has no command ending with {ending}.");
        return index;
    }

    [GeneratedRegex(@"\b\d{3}-\d{2}-\d{4}\b")]
    private static partial Regex UnmaskedSsn();

    [GeneratedRegex(@"analyst\b.*\bbank\b.*tools/call\b.*search_customers\b.*\bok\b")]
    private static partial Regex CallLogLine();

    [GeneratedRegex(@"\b[0-9a-f]{32}\b")]
    private static partial Regex SessionId();

    [GeneratedRegex(@"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")]
    private static partial Regex EventId();

    [GeneratedRegex(@"\bproctor_[a-z_]+\b")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"\bprk_[A-Za-z0-9_\-]+")]
    private static partial Regex AgentKey();
}
