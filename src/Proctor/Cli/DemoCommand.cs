using System.CommandLine;
using Proctor.Gateway;
using Spectre.Console;

namespace Proctor.Cli;

/// <summary>
/// <c>proctor demo</c>: the gateway in front of the synthetic bank server, with a generated, commented
/// configuration that <c>proctor serve --config DIR/proctor.yaml</c> runs again unchanged.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The Inspector the README tour is tested with (tests/node/package.json); pinned so the tour's commands stay true.</summary>
    public const string InspectorPackage = "@modelcontextprotocol/inspector@2.12.0";

    public const string Name = "demo";

    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "Address the gateway listens on; choose another port when 8080 is taken, e.g. http://127.0.0.1:9090.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var data = new Option<DirectoryInfo>("--data")
        {
            Description = "Folder for everything the demo writes (configuration, issuer key, ledger, keys); delete it to start afresh. Default: .proctor in the current folder.",
            DefaultValueFactory = _ => new DirectoryInfo(".proctor"),
        };
        var command = new Command(Name, "Run the gateway in front of a synthetic bank MCP server, with a ready-to-edit configuration.") { listen, data };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(listen)!, result.GetValue(data)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string listen, DirectoryInfo data, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(listen, UriKind.Absolute, out var listenUri) || listenUri.Scheme is not ("http" or "https"))
        {
            Console.Error.WriteLine($"error: --listen '{listen}' is not a URL; use e.g. http://127.0.0.1:8080");
            return ExitCodes.BadConfiguration;
        }

        // First, before the slow start, so that whoever looks for the files knows where they went.
        Console.WriteLine($"Demo data:      {data.FullName} (delete it to start afresh)");
        data.Create();
        var configPath = Path.Combine(data.FullName, "proctor.yaml");
        await File.WriteAllTextAsync(configPath, DemoConfiguration.Render(listenUri), cancellationToken).ConfigureAwait(false);
        var policyPath = Path.Combine(data.FullName, DemoPolicy.FileName);
        if (!File.Exists(policyPath))
        {
            // Kept across runs, as the ledger and keys are: an edited policy is the reader's own.
            await File.WriteAllTextAsync(policyPath, DemoPolicy.Yaml, cancellationToken).ConfigureAwait(false);
        }

        var model = ServeCommand.Load(new FileInfo(configPath));
        if (model is null)
        {
            return ExitCodes.BadConfiguration;
        }

        var credentials = await DemoIdentities.IssueAsync(data.FullName, model.Identity!.Resource, model.Storage.Path, cancellationToken).ConfigureAwait(false);
        await GatewayHost.RunAsync(model, cancellationToken, _ => PrintWelcome(listenUri, data.FullName, configPath, credentials)).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static void PrintWelcome(Uri listen, string data, string configPath, IReadOnlyList<(string Name, string Credential)> credentials)
    {
        var mcp = new Uri(listen, "/mcp").ToString();
        var proctor = DemoConfiguration.ShellCommand();
        var config = DemoConfiguration.ShellWord(configPath);
        var console = AnsiConsole.Console;
        console.Write(new Rule("[green]Proctor demo[/]").LeftJustified());
        // Plain writes below: commands must stay on one line to be copied, whatever the terminal width.
        Console.WriteLine($"Gateway:        {mcp} (all servers), {new Uri(listen, "/mcp/bank")} (bank only)");
        Console.WriteLine($"Demo data:      {data}");
        Console.WriteLine($"Configuration:  {configPath}");
        Console.WriteLine($"Policy:         {Path.Combine(data, DemoPolicy.FileName)} (saved edits apply at once)");
        Console.WriteLine($"Run it again:   {proctor} serve --config {config}");
        Console.WriteLine($"Health:         {new Uri(listen, "/readyz")}");
        Console.WriteLine($"Web console:    {new Uri(listen, "/console")} (sign in by pasting the supervisor's or auditor's token below)");
        Console.WriteLine();
        Console.WriteLine("Credentials, valid 12 hours (agent key: 30 days); send one as \"Authorization: Bearer <credential>\":");
        foreach (var (name, credential) in credentials)
        {
            Console.WriteLine($"  {name + ":",-12}{credential}");
        }

        Console.WriteLine();
        Console.WriteLine("Try it with the MCP Inspector (Node.js 22.19 or later), as the analyst:");
        Console.WriteLine($"  export PROCTOR_TOKEN={credentials[0].Credential}");
        Console.WriteLine($"  npx -y {InspectorPackage} --cli {mcp} --transport http --header \"Authorization: Bearer $PROCTOR_TOKEN\" --method tools/list");
        Console.WriteLine($"  npx -y {InspectorPackage} --cli {mcp} --transport http --header \"Authorization: Bearer $PROCTOR_TOKEN\" --method tools/call --tool-name bank__search_customers --tool-arg query=Smith");
        Console.WriteLine();
        Console.WriteLine("The analyst does not see bank__run_sql (the supervisor does). A transfer above $10,000 needs a supervisor's approval:");
        Console.WriteLine("the call is held (up to 20 s), then answered with an approval id. The supervisor approves it (another terminal):");
        Console.WriteLine($"  export SUPERVISOR={credentials.First(c => c.Name == "supervisor").Credential}");
        Console.WriteLine($"  {proctor} approvals list --config {config}");
        Console.WriteLine($"  {proctor} approvals approve <approval-id> --token \"$SUPERVISOR\" --config {config}");
        Console.WriteLine("A held call runs at once; otherwise the analyst calls again with the same arguments, and it runs once.");
        Console.WriteLine();
        Console.WriteLine("Every call is masked and recorded before it is forwarded. Check the record (another terminal):");
        Console.WriteLine($"  {proctor} audit verify --config {config}");
        Console.WriteLine($"  {proctor} sessions list --config {config}");
        Console.WriteLine($"  {proctor} sessions replay <session-id> --config {config}");
        Console.WriteLine();
        Console.WriteLine("Or as the auditor, through the read-only REST API (docs/api.md):");
        Console.WriteLine($"  export AUDITOR={credentials.First(c => c.Name == "auditor").Credential}");
        Console.WriteLine($"  curl -H \"Authorization: Bearer $AUDITOR\" {new Uri(listen, "/api/sessions")}");
        Console.WriteLine($"  curl -H \"Authorization: Bearer $AUDITOR\" {new Uri(listen, "/api/sessions/")}<session-id>/replay");
        Console.WriteLine();
        Console.WriteLine("Client configuration (VS Code, .vscode/mcp.json; it asks for a credential above once and keeps it in its secret storage):");
        Console.WriteLine($$"""  { "servers": { "proctor": { "type": "http", "url": "{{mcp}}", "headers": { "Authorization": "Bearer ${input:proctor-credential}" } } }, "inputs": [ { "id": "proctor-credential", "type": "promptString", "description": "Proctor token or agent key", "password": true } ] }""");
        console.Write(new Rule().LeftJustified());
    }
}
