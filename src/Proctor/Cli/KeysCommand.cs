using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Proctor.Configuration.Models;
using Proctor.Identity.AgentKeys;
using Proctor.Storage.Sqlite.AgentKeys;
using Spectre.Console;

namespace Proctor.Cli;

/// <summary>
/// <c>proctor keys create|list|revoke</c>: agent (machine) identities. The key is printed once at
/// creation; the database (<c>storage.path</c>) holds only its SHA-256.
/// </summary>
internal static partial class KeysCommand
{
    /// <summary>A key that never expires is a standing credential nobody reviews; a year forces a yearly renewal.</summary>
    internal const int MaxLifetimeDays = 365;

    public static Command Create()
    {
        var command = new Command("keys", """
            Manage agent keys: credentials for machines (CI jobs, batch agents) that call the gateway
            without a person signing in. A caller sends one as "Authorization: Bearer prk_…" and is
            identified as agent:NAME with the key's groups. Keys are stored only as SHA-256 hashes in the
            database named by storage.path; they expire, and revocation takes effect within 5 seconds.
            """);
        command.Subcommands.Add(CreateCommand());
        command.Subcommands.Add(ListCommand());
        command.Subcommands.Add(RevokeCommand());
        return command;
    }

    private static Command CreateCommand()
    {
        var name = new Option<string>("--name") { Description = "Name of the agent, unique among unrevoked keys: lower-case letters, digits, '.', '_' or '-' (e.g. nightly-reconciliation). The caller becomes agent:NAME.", Required = true };
        var groups = new Option<string>("--groups") { Description = "Comma-separated groups the agent belongs to, as policy rules name them (e.g. analysts,batch).", DefaultValueFactory = _ => "" };
        var expires = new Option<string>("--expires") { Description = $"Lifetime in days, e.g. 90d; at most {MaxLifetimeDays}d. Required: every key expires.", Required = true };
        var config = GatewayData.ConfigOption();
        var json = GatewayData.JsonOption();
        var command = new Command("create", "Create an agent key and print it once. Store it in the agent's secret store right away: it cannot be shown again.")
        {
            name, groups, expires, config, json,
        };
        command.SetAction((result, cancellationToken) => CreateAsync(result.GetValue(name)!, result.GetValue(groups)!, result.GetValue(expires)!, result.GetValue(config)!, result.GetValue(json), cancellationToken));
        return command;
    }

    private static Command ListCommand()
    {
        var config = GatewayData.ConfigOption();
        var json = GatewayData.JsonOption();
        var command = new Command("list", "List agent keys (id, name, groups, dates, status). Keys themselves are never shown.") { config, json };
        command.SetAction((result, cancellationToken) => ListAsync(result.GetValue(config)!, result.GetValue(json), cancellationToken));
        return command;
    }

    private static Command RevokeCommand()
    {
        var key = new Argument<string>("name-or-id") { Description = "The agent's name or the key's id (ak_…) as shown by 'proctor keys list'." };
        var config = GatewayData.ConfigOption();
        var command = new Command("revoke", "Revoke an agent key. Gateways refuse it within 5 seconds; the record stays for the audit trail.") { key, config };
        command.SetAction((result, cancellationToken) => RevokeAsync(result.GetValue(key)!, result.GetValue(config)!, cancellationToken));
        return command;
    }

    private static async Task<int> CreateAsync(string name, string groupList, string expires, FileInfo config, bool json, CancellationToken cancellationToken)
    {
        if (!NameSyntax().IsMatch(name))
        {
            return Usage($"--name '{name}' is not a valid agent name; use 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. nightly-reconciliation");
        }

        if (!TryParseLifetime(expires, out var lifetime, out var problem))
        {
            return Usage($"--expires {problem}");
        }

        var groups = groupList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();
        if (Store(config) is not { } store)
        {
            return ExitCodes.BadConfiguration;
        }

        var now = DateTimeOffset.UtcNow;
        var secret = AgentKeyFormat.NewKey();
        var key = new AgentKey(AgentKeyFormat.NewId(), name, groups, now, now + lifetime, null);
        try
        {
            await store.AddAsync(key, AgentKeyFormat.Hash(secret), cancellationToken).ConfigureAwait(false);
        }
        catch (AgentKeyStoreException e)
        {
            return Usage(e.Message);
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

    private static async Task<int> ListAsync(FileInfo config, bool json, CancellationToken cancellationToken)
    {
        if (Store(config) is not { } store)
        {
            return ExitCodes.BadConfiguration;
        }

        var keys = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
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

    private static async Task<int> RevokeAsync(string nameOrId, FileInfo config, CancellationToken cancellationToken)
    {
        if (Store(config) is not { } store)
        {
            return ExitCodes.BadConfiguration;
        }

        try
        {
            var key = await store.RevokeAsync(nameOrId, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            AnsiConsole.Console.MarkupLineInterpolated($"Revoked agent key {key.Id} ({key.Subject}). Gateways refuse it within {AgentKeyAuthenticator.CacheLifetime.TotalSeconds:0} seconds.");
            return ExitCodes.Ok;
        }
        catch (AgentKeyStoreException e)
        {
            return Usage(e.Message);
        }
    }

    /// <summary><c>Nd</c>, 1 to <see cref="MaxLifetimeDays"/> days.</summary>
    internal static bool TryParseLifetime(string text, out TimeSpan lifetime, out string? problem)
    {
        lifetime = default;
        problem = null;
        if (text.Length < 2 || text[^1] != 'd' || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var days))
        {
            problem = $"'{text}' is not a number of days; use e.g. 90d";
            return false;
        }

        if (days is < 1 or > MaxLifetimeDays)
        {
            problem = $"'{text}' is out of range; use 1d to {MaxLifetimeDays}d";
            return false;
        }

        lifetime = TimeSpan.FromDays(days);
        return true;
    }

    private static string Status(AgentKey key, DateTimeOffset now) =>
        key.RevokedAt is not null ? "revoked" : now >= key.ExpiresAt ? "expired" : "active";

    private static SqliteAgentKeyStore? Store(FileInfo config) =>
        GatewayData.Locate(config) is { } storage ? new SqliteAgentKeyStore(storage.Path) : null;

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return ExitCodes.BadConfiguration;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex NameSyntax();
}
