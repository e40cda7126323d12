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
    public const string Name = "demo";

    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "Address the gateway listens on.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var data = new Option<DirectoryInfo>("--data") { Description = "Folder for the demo's configuration and data.", DefaultValueFactory = _ => new DirectoryInfo(".proctor") };
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

        data.Create();
        var configPath = Path.Combine(data.FullName, "proctor.yaml");
        await File.WriteAllTextAsync(configPath, DemoConfiguration.Render(listenUri), cancellationToken).ConfigureAwait(false);
        var model = ServeCommand.Load(new FileInfo(configPath));
        if (model is null)
        {
            return ExitCodes.BadConfiguration;
        }

        var credentials = await DemoIdentities.IssueAsync(data.FullName, model.Identity!.Resource, model.Storage.Path, cancellationToken).ConfigureAwait(false);
        await GatewayHost.RunAsync(model, cancellationToken, _ => PrintWelcome(listenUri, configPath, credentials)).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static void PrintWelcome(Uri listen, string configPath, IReadOnlyList<(string Name, string Credential)> credentials)
    {
        var mcp = new Uri(listen, "/mcp").ToString();
        var console = AnsiConsole.Console;
        console.Write(new Rule("[green]Proctor demo[/]").LeftJustified());
        // Plain writes below: commands must stay on one line to be copied, whatever the terminal width.
        Console.WriteLine($"Gateway:        {mcp} (all servers), {new Uri(listen, "/mcp/bank")} (bank only)");
        Console.WriteLine($"Configuration:  {configPath}");
        Console.WriteLine($"Run it again:   proctor serve --config {configPath}");
        Console.WriteLine($"Health:         {new Uri(listen, "/readyz")}");
        Console.WriteLine();
        Console.WriteLine("Credentials, valid 12 hours (agent key: 30 days); send one as \"Authorization: Bearer <credential>\":");
        foreach (var (name, credential) in credentials)
        {
            Console.WriteLine($"  {name + ":",-12}{credential}");
        }

        Console.WriteLine();
        Console.WriteLine("Try it with the MCP Inspector, as the analyst:");
        Console.WriteLine($"  export PROCTOR_TOKEN={credentials[0].Credential}");
        Console.WriteLine($"  npx @modelcontextprotocol/inspector --cli {mcp} --transport http --header \"Authorization: Bearer $PROCTOR_TOKEN\" --method tools/list");
        Console.WriteLine($"  npx @modelcontextprotocol/inspector --cli {mcp} --transport http --header \"Authorization: Bearer $PROCTOR_TOKEN\" --method tools/call --tool-name bank__search_customers --tool-arg query=Smith");
        Console.WriteLine();
        Console.WriteLine("Every call is masked and recorded before it is forwarded. Check the record (another terminal):");
        Console.WriteLine($"  proctor audit verify --config {configPath}");
        Console.WriteLine($"  proctor sessions list --config {configPath}");
        Console.WriteLine($"  proctor sessions replay <session-id> --config {configPath}");
        Console.WriteLine();
        Console.WriteLine("Or as the auditor, through the read-only REST API (docs/api.md):");
        Console.WriteLine($"  export AUDITOR={credentials.First(c => c.Name == "auditor").Credential}");
        Console.WriteLine($"  curl -H \"Authorization: Bearer $AUDITOR\" {new Uri(listen, "/api/sessions")}");
        Console.WriteLine($"  curl -H \"Authorization: Bearer $AUDITOR\" {new Uri(listen, "/api/sessions/")}<session-id>/replay");
        Console.WriteLine();
        Console.WriteLine("Client configuration (e.g. .vscode/mcp.json or Claude Desktop):");
        Console.WriteLine($$"""  { "servers": { "proctor": { "type": "http", "url": "{{mcp}}", "headers": { "Authorization": "Bearer <credential>" } } } }""");
        console.Write(new Rule().LeftJustified());
    }
}
