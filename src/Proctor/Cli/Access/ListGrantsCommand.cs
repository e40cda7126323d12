using System.CommandLine;
using System.Text.Json.Nodes;
using Proctor.Approvals.Grants;
using Spectre.Console;

namespace Proctor.Cli.Access;

/// <summary><c>proctor access grants</c>: grants newest first, pending and active ones by default.</summary>
internal static class ListGrantsCommand
{
    public static Command Create()
    {
        var state = new Option<string>("--state") { Description = "Only grants in this state: open (pending or active), pending, active, denied, revoked, expired, or all.", DefaultValueFactory = _ => "open" };
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first.", DefaultValueFactory = _ => 100 };
        var config = GatewayData.ConfigOption();
        var json = GatewayData.JsonOption();
        var command = new Command("grants", "List grants: id, state, holder, server and tools, approvals so far, end.") { state, limit, config, json };
        command.SetAction(async (result, ct) =>
        {
            var name = result.GetValue(state)!;
            GrantState? wanted = null;
            if (name is not ("open" or "all"))
            {
                if (!GrantStates.TryParse(name, out var parsed))
                {
                    Console.Error.WriteLine($"error: --state '{name}' is not a state; use open, pending, active, denied, revoked, expired or all.");
                    return ExitCodes.BadConfiguration;
                }

                wanted = parsed;
            }

            if (AccessCommand.Locate(result.GetValue(config)!) is not { } sections)
            {
                return ExitCodes.BadConfiguration;
            }

            var now = TimeProvider.System.GetUtcNow();
            var stored = await AccessCommand.Store(sections).ListAsync(new GrantQuery(Limit: result.GetValue(limit)), ct).ConfigureAwait(false);
            var grants = stored.Where(g => GrantRules.StateAt(g, now) is var s && (name == "all" || (name == "open" ? s is GrantState.Pending or GrantState.Active : s == wanted))).ToList();
            if (result.GetValue(json))
            {
                Console.WriteLine(new JsonArray([.. grants.Select(g => (JsonNode)GrantJson.Of(g, now))]).ToJsonString());
                return ExitCodes.Ok;
            }

            if (grants.Count == 0)
            {
                Console.WriteLine($"No {(name == "all" ? "" : name + " ")}grants.");
                return ExitCodes.Ok;
            }

            // Ids never wrap: they are copied into the next command (approve, deny, revoke).
            var table = new Table().AddColumns(new TableColumn("grant").NoWrap(), new TableColumn("state"), new TableColumn("holder"), new TableColumn("server: tools"), new TableColumn("approvals"), new TableColumn("ends (UTC)"));
            foreach (var grant in grants)
            {
                var shown = GrantStates.Name(GrantRules.StateAt(grant, now)) + (grant.BreakGlass ? " (break-glass)" : "");
                table.AddRow(grant.Id, shown, Markup.Escape(grant.Holder), Markup.Escape($"{grant.Server}: {string.Join(", ", grant.Tools)}"),
                    grant.BreakGlass ? "-" : $"{grant.Approvals.Count}/{grant.MinApprovals}", AccessCommand.Until(grant));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
