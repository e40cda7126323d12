using System.CommandLine;
using System.Text.Json.Nodes;
using Proctor.Approvals.Grants;
using Proctor.Approvals.Requests;
using Proctor.Cli.Approvals;
using Proctor.Configuration.Models;
using Spectre.Console;

namespace Proctor.Cli.Access;

/// <summary>
/// <c>proctor reviews list|close</c>: the reviews break-glass opens (docs/access.md). A review stays open until someone
/// other than the holder, holding the approver role and in the grant's approver groups, closes it with a comment.
/// </summary>
internal static class ReviewsCommand
{
    public static Command Create()
    {
        var command = new Command("reviews", "Reviews of break-glass grants: each stays open until someone else closes it with a comment; /metrics counts the open ones (proctor_open_reviews).");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Close());
        return command;
    }

    private static Command List()
    {
        var all = new Option<bool>("--all") { Description = "Closed reviews too." };
        var config = GatewayData.ConfigOption();
        var json = GatewayData.JsonOption();
        var command = new Command("list", "List reviews, newest first: open ones unless --all.") { all, config, json };
        command.SetAction(async (result, ct) =>
        {
            if (AccessCommand.Locate(result.GetValue(config)!) is not { } sections)
            {
                return ExitCodes.BadConfiguration;
            }

            var reviews = await AccessCommand.Store(sections).ListReviewsAsync(openOnly: !result.GetValue(all), 100, ct).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                Console.WriteLine(new JsonArray([.. reviews.Select(r => (JsonNode)GrantJson.Of(r))]).ToJsonString());
                return ExitCodes.Ok;
            }

            if (reviews.Count == 0)
            {
                Console.WriteLine(result.GetValue(all) ? "No reviews." : "No open reviews.");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns(new TableColumn("review").NoWrap(), new TableColumn("state"), new TableColumn("holder"), new TableColumn("server: tools"), new TableColumn("reason"), new TableColumn("opened (UTC)"));
            foreach (var review in reviews)
            {
                table.AddRow(review.Id, review.IsOpen ? "open" : $"closed by {Markup.Escape(review.Closure!.Subject)}", Markup.Escape(review.Holder), Markup.Escape($"{review.Server}: {string.Join(", ", review.Tools)}"),
                    Markup.Escape(review.Reason), $"{review.OpenedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}");
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Close()
    {
        var id = new Argument<string>("review-id") { Description = "The review's id, as 'proctor reviews list' shows it." };
        var comment = new Option<string>("--comment") { Description = "What was checked (required; masked, recorded).", Required = true };
        var token = AccessCommand.TokenOption("reviews");
        var config = GatewayData.ConfigOption();
        var command = new Command("close", "Close a break-glass review with a comment; the holder never can.") { id, comment, token, config };
        command.SetAction((result, ct) => AccessCommand.RunAsync(result.GetValue(config)!, result.GetValue(token)!, IdentityRoles.Approver, "review", withPolicy: false,
            async (_, person, desk, actor) =>
            {
                var outcome = await desk.CloseReviewAsync(result.GetValue(id)!, new Approver(person.Key, person.Subject, person.Groups), actor, PersonTokens.Masked(result.GetValue(comment)), ct).ConfigureAwait(false);
                if (outcome.Refusal is { } refusal)
                {
                    return AccessCommand.Refused(refusal);
                }

                Console.WriteLine($"Closed review {outcome.Review!.Id} of break-glass grant {outcome.Review.GrantId} ({outcome.Review.Holder}) as {person.Subject}.");
                return ExitCodes.Ok;
            }, ct));
        return command;
    }
}
