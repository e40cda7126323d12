using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Proctor.Identity.AgentKeys;
using Spectre.Console;

namespace Proctor.Cli.Keys;

/// <summary><c>proctor keys list</c>: every agent key and its status; never the key itself.</summary>
internal static class ListKeysCommand
{
    public static Command Create()
    {
        var config = GatewayData.ConfigOption();
        var json = GatewayData.JsonOption();
        var command = new Command("list", "List agent keys (id, name, groups, dates, status). Keys themselves are never shown.") { config, json };
        command.SetAction((result, cancellationToken) => ListAsync(result.GetValue(config)!, result.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> ListAsync(FileInfo config, bool json, CancellationToken cancellationToken)
    {
        if (KeysCommand.Store(config) is not { } store)
        {
            return ExitCodes.BadConfiguration;
        }

        var keys = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        var now = TimeProvider.System.GetUtcNow();
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(keys.Select(k => new { id = k.Id, name = k.Name, subject = k.Subject, groups = k.Groups, created = k.CreatedAt, expires = k.ExpiresAt, revoked = k.RevokedAt, status = Status(k, now) })));
            return ExitCodes.Ok;
        }

        if (keys.Count == 0)
        {
            Console.WriteLine("No agent keys. Create one with: proctor keys create --name NAME --groups G1,G2 --expires 90d");
            return ExitCodes.Ok;
        }

        // Ids and names never wrap: they are what an operator copies into 'proctor keys revoke'.
        var table = new Table().AddColumns(
            new TableColumn("Id").NoWrap(), new TableColumn("Name").NoWrap(), new TableColumn("Groups"),
            new TableColumn("Created (UTC)").NoWrap(), new TableColumn("Expires (UTC)").NoWrap(), new TableColumn("Status").NoWrap());
        foreach (var k in keys)
        {
            table.AddRow(Markup.Escape(k.Id), Markup.Escape(k.Name), Markup.Escape(string.Join(",", k.Groups)), k.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), k.ExpiresAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Status(k, now));
        }

        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            // Piped into a file or grep: no terminal width to fit, so print rows whole.
            console.Profile.Width = 200;
        }

        console.Write(table);
        return ExitCodes.Ok;
    }

    private static string Status(AgentKey key, DateTimeOffset now) =>
        key.RevokedAt is not null ? "revoked" : now >= key.ExpiresAt ? "expired" : "active";
}
