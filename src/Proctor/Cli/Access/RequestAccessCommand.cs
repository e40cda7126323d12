using System.CommandLine;
using Proctor.Configuration;
using Proctor.Configuration.Models;
using Proctor.Mcp.Approvals;
using Proctor.Cli.Approvals;

namespace Proctor.Cli.Access;

/// <summary>
/// <c>proctor access request</c> (a grant someone else approves) and <c>proctor access break-glass</c> (taken alone, at
/// once, by a member of the breakglass role, reviewed afterwards). Both ask the policy which grant rule covers the
/// server and tools for the person the token names: nothing outside the policy's grant rules can be granted.
/// </summary>
internal static class RequestAccessCommand
{
    public static Command Create(bool breakGlass)
    {
        var server = new Option<string>("--server") { Description = "The upstream the tools are on, as the configuration names it.", Required = true };
        var tools = new Option<string[]>("--tool") { Description = "A tool to be granted; repeat for several.", Required = true, AllowMultipleArgumentsPerToken = true };
        var duration = new Option<string>("--duration") { Description = breakGlass ? "How long, e.g. 30m (at most access.breakGlassMaxDuration)." : "How long, once approved, e.g. 2h (at most access.maxDuration).", DefaultValueFactory = _ => "1h" };
        var reason = new Option<string>("--reason") { Description = breakGlass ? "What is broken and why normal access will not do (required; masked, recorded, sent to reviewers)." : "Why it is needed (required; masked, recorded, shown to approvers).", Required = true };
        var ticket = new Option<string?>("--ticket") { Description = "The change or incident ticket, e.g. CHG-1234." };
        var token = AccessCommand.TokenOption(breakGlass ? "breaks the glass" : "asks");
        var config = GatewayData.ConfigOption();
        var command = new Command(breakGlass ? "break-glass" : "request", breakGlass
            ? "Take a grant at once, alone, in an emergency: it is recorded and opens a review someone else must close. The CLI sends no webhook; where the alert matters, use POST /api/access/break-glass."
            : "Ask for a just-in-time grant of tools on one server for a while; it works once the policy rule's approvers have approved it.")
            { server, tools, duration, reason, ticket, token, config };
        command.SetAction(async (result, ct) =>
        {
            if (!Durations.TryParse(result.GetValue(duration)!, "\"1h\"", out var length, out var problem))
            {
                Console.Error.WriteLine($"error: --duration {problem}");
                return ExitCodes.BadConfiguration;
            }

            return await AccessCommand.RunAsync(result.GetValue(config)!, result.GetValue(token)!, breakGlass ? IdentityRoles.BreakGlass : null, breakGlass ? "break the glass" : "ask for access", withPolicy: true,
                async (sections, person, desk, actor) =>
                {
                    var (draft, refusal) = GrantRequests.Draft(sections.Policy!.Model, sections.Identity, person, result.GetValue(server)!, result.GetValue(tools)!, length,
                        PersonTokens.Masked(result.GetValue(reason)) ?? "", PersonTokens.Masked(result.GetValue(ticket)));
                    if (draft is null)
                    {
                        return AccessCommand.Refused(refusal!);
                    }

                    var outcome = breakGlass ? await desk.BreakGlassAsync(draft, actor, ct).ConfigureAwait(false) : await desk.RequestAsync(draft, actor, ct).ConfigureAwait(false);
                    if (outcome.Refusal is { } refused)
                    {
                        return AccessCommand.Refused(refused);
                    }

                    var grant = outcome.Grant!;
                    Console.WriteLine(breakGlass
                        ? $"Break-glass grant {grant.Id}: {person.Subject} may use {grant.Server}: {string.Join(", ", grant.Tools)} until {AccessCommand.Until(grant)} (a running gateway applies it within a second). Review {outcome.Review!.Id} is open until someone in {string.Join(" or ", grant.ApproverGroups)} closes it: proctor reviews close {outcome.Review.Id} --comment \"...\" --token \"$THEIR_TOKEN\"."
                        : $"Requested grant {grant.Id}: {grant.Server}: {string.Join(", ", grant.Tools)} for {grant.Duration} once {grant.MinApprovals} of {string.Join(" or ", grant.ApproverGroups)} approve (before {grant.DecideBy.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC): proctor access approve {grant.Id} --token \"$THEIR_TOKEN\".");
                    return ExitCodes.Ok;
                }, ct).ConfigureAwait(false);
        });
        return command;
    }
}
