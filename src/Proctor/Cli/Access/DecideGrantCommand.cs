using System.CommandLine;
using Proctor.Approvals.Grants;
using Proctor.Approvals.Requests;
using Proctor.Cli.Approvals;
using Proctor.Configuration.Models;

namespace Proctor.Cli.Access;

/// <summary>
/// <c>proctor access approve|deny|revoke GRANT-ID --token TOKEN</c>. Approving and denying need the approver role, a
/// place in the grant's approver groups, and not being its holder; revoking is open to the holder (giving it up) and
/// to members of its approver groups. The change is recorded before it takes effect.
/// </summary>
internal static class DecideGrantCommand
{
    public enum Verb
    {
        Approve,
        Deny,
        Revoke,
    }

    public static Command Create(Verb verb)
    {
        var id = new Argument<string>("grant-id") { Description = "The grant's id, as 'proctor access grants' shows it." };
        var token = AccessCommand.TokenOption(verb == Verb.Revoke ? "revokes" : "decides");
        var comment = new Option<string?>("--comment") { Description = "Why; recorded (masked) with the change." };
        var config = GatewayData.ConfigOption();
        var name = verb.ToString().ToLowerInvariant();
        var command = new Command(name, verb switch
        {
            Verb.Approve => "Approve a grant request: once enough approvers have, it works for its duration from now.",
            Verb.Deny => "Deny a grant request.",
            _ => "Revoke a grant (yours, or one you approve for): it stops working at once, also in open sessions.",
        }) { id, token, comment, config };
        command.SetAction((result, ct) => AccessCommand.RunAsync(result.GetValue(config)!, result.GetValue(token)!, verb == Verb.Revoke ? null : IdentityRoles.Approver, name, withPolicy: false,
            async (_, person, desk, actor) =>
            {
                var who = new Approver(person.Key, person.Subject, person.Groups);
                var text = PersonTokens.Masked(result.GetValue(comment));
                var outcome = verb == Verb.Revoke
                    ? await desk.RevokeAsync(result.GetValue(id)!, who, actor, text, ct).ConfigureAwait(false)
                    : await desk.DecideAsync(result.GetValue(id)!, who, actor, verb == Verb.Approve, text, ct).ConfigureAwait(false);
                if (outcome.Refusal is { } refusal)
                {
                    return AccessCommand.Refused(refusal);
                }

                var grant = outcome.Grant!;
                Console.WriteLine(grant.State switch
                {
                    GrantState.Active => $"Approved {grant.Id} as {person.Subject}: {grant.Holder} may use {grant.Server}: {string.Join(", ", grant.Tools)} until {AccessCommand.Until(grant)} (a running gateway applies it within a second).",
                    GrantState.Pending => $"Approved {grant.Id} as {person.Subject}: {grant.Approvals.Count} of {grant.MinApprovals}; it needs {grant.MinApprovals - grant.Approvals.Count} more from {string.Join(" or ", grant.ApproverGroups)}.",
                    GrantState.Denied => $"Denied {grant.Id} as {person.Subject}.",
                    _ => $"Revoked {grant.Id} as {person.Subject}: {grant.Holder}'s access to {grant.Server}: {string.Join(", ", grant.Tools)} has ended (a running gateway refuses the next call within a second).",
                });
                return ExitCodes.Ok;
            }, ct));
        return command;
    }
}
