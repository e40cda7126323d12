using System.CommandLine;
using System.Text.Json;
using Proctor.Identity.AgentKeys;
using Proctor.Storage.Sqlite.AgentKeys;
using Spectre.Console;

namespace Proctor.Cli.Keys;

/// <summary><c>proctor keys create</c>: a new agent key, printed once.</summary>
internal static class CreateKeyCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Name of the agent, unique among unrevoked keys: lower-case letters, digits, '.', '_' or '-' (e.g. nightly-reconciliation). The caller becomes agent:NAME.", Required = true };
        var groups = new Option<string>("--groups") { Description = "Comma-separated groups the agent belongs to, as policy rules name them (e.g. analysts,batch).", DefaultValueFactory = _ => "" };
        var expires = new Option<string>("--expires") { Description = $"Lifetime in days, e.g. 90d; at most {KeysCommand.MaxLifetimeDays}d. Required: every key expires.", Required = true };
        var config = GatewayData.ConfigOption();
        var json = GatewayData.JsonOption();
        var command = new Command("create", "Create an agent key and print it once. Store it in the agent's secret store right away: it cannot be shown again.")
        {
            name, groups, expires, config, json,
        };
        command.SetAction((result, cancellationToken) => CreateAsync(result.GetValue(name)!, result.GetValue(groups)!, result.GetValue(expires)!, result.GetValue(config)!, result.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> CreateAsync(string name, string groupList, string expires, FileInfo config, bool json, CancellationToken cancellationToken)
    {
        if (!KeysCommand.NameSyntax().IsMatch(name))
        {
            return KeysCommand.Usage($"--name '{name}' is not a valid agent name; use 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. nightly-reconciliation");
        }

        if (!KeysCommand.TryParseLifetime(expires, out var lifetime, out var problem))
        {
            return KeysCommand.Usage($"--expires {problem}");
        }

        var groups = groupList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();
        if (KeysCommand.Store(config) is not { } store)
        {
            return ExitCodes.BadConfiguration;
        }

        var now = TimeProvider.System.GetUtcNow();
        var secret = AgentKeyFormat.NewKey();
        var key = new AgentKey(AgentKeyFormat.NewId(), name, groups, now, now + lifetime, null);
        try
        {
            await store.AddAsync(key, AgentKeyFormat.Hash(secret), cancellationToken).ConfigureAwait(false);
        }
        catch (AgentKeyStoreException e)
        {
            return KeysCommand.Usage(e.Message);
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { id = key.Id, name, subject = key.Subject, groups, created = key.CreatedAt, expires = key.ExpiresAt, key = secret }));
            return ExitCodes.Ok;
        }

        var console = AnsiConsole.Console;
        console.MarkupLineInterpolated($"[green]Created agent key[/] {key.Id} for [bold]{key.Subject}[/] (groups: {(groups.Length == 0 ? "none" : string.Join(", ", groups))}), expires {key.ExpiresAt:yyyy-MM-dd HH:mm} UTC.");
        console.MarkupLine("[yellow]This is the only time the key is shown. Put it in the agent's secret store now:[/]");

        // Plain write: the key must stay on one line to be copied, whatever the terminal width.
        Console.WriteLine(secret);
        return ExitCodes.Ok;
    }
}
