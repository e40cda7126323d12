using System.CommandLine;
using Proctor.Approvals.Requests;
using Proctor.Approvals.Rules;
using Proctor.Approvals.Store;
using Spectre.Console;

namespace Proctor.Cli.Approvals;

/// <summary><c>proctor approvals list</c>: requests newest first, pending ones by default.</summary>
internal static class ListApprovalsCommand
{
    public static Command Create()
    {
        var state = new Option<string>("--state") { Description = "Only requests in this state: pending, approved, denied, expired, used, or all.", DefaultValueFactory = _ => "pending" };
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first.", DefaultValueFactory = _ => 100 };
        var config = GatewayData.ConfigOption();
        var json = GatewayData.JsonOption();
        var command = new Command("list", "List approval requests: id, state, who asks, which tool, the rule, approvals so far, expiry.") { state, limit, config, json };
        command.SetAction(async (result, ct) =>
        {
            ApprovalState? wanted = null;
            var name = result.GetValue(state)!;
            if (name != "all")
            {
                if (!ApprovalStates.TryParse(name, out var parsed))
                {
                    Console.Error.WriteLine($"error: --state '{name}' is not a state; use pending, approved, denied, expired, used or all.");
                    return ExitCodes.BadConfiguration;
                }

                wanted = parsed;
            }

            if (ApprovalsCommand.Locate(result.GetValue(config)!) is not { } sections)
            {
                return ExitCodes.BadConfiguration;
            }

            var now = TimeProvider.System.GetUtcNow();
            var stored = await ApprovalsCommand.Store(sections).ListAsync(new ApprovalQuery(wanted == ApprovalState.Expired ? null : wanted, result.GetValue(limit)), ct).ConfigureAwait(false);
            var requests = stored.Where(r => wanted is null || ApprovalRules.StateAt(r, now) == wanted).ToList();
            if (result.GetValue(json))
            {
                Console.WriteLine(ApprovalJson.List(requests, now).ToJsonString());
                return ExitCodes.Ok;
            }

            if (requests.Count == 0)
            {
                Console.WriteLine(wanted is null ? "No approval requests." : $"No {name} approval requests.");
                return ExitCodes.Ok;
            }

            // Ids never wrap: they are copied into the next command (show, approve, deny).
            var table = new Table().AddColumns(new TableColumn("approval").NoWrap(), new TableColumn("state"), new TableColumn("requester"), new TableColumn("server/tool"), new TableColumn("rule"), new TableColumn("approvals"), new TableColumn("expires (UTC)"));
            foreach (var request in requests)
            {
                table.AddRow(request.Id, ApprovalStates.Name(ApprovalRules.StateAt(request, now)), Markup.Escape(request.Requester), Markup.Escape($"{request.Binding.Server}/{request.Binding.Tool}"),
                    Markup.Escape(request.Binding.Rule), $"{request.Approvals.Count}/{request.MinApprovals}", $"{request.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}");
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
