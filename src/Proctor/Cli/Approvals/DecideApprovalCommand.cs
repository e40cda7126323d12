using System.CommandLine;
using Proctor.Approvals.Desk;
using Proctor.Approvals.Evidence;
using Proctor.Approvals.Requests;
using Proctor.Approvals.Signals;
using Proctor.Cli.Audit;
using Proctor.Configuration.Models;
using Proctor.Evidence;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Storage;

namespace Proctor.Cli.Approvals;

/// <summary>
/// <c>proctor approvals approve|deny ID --token TOKEN</c>. The approver is whoever the token says, verified as the gateway
/// verifies callers (issuer, signature, audience, expiry); they must hold the approver role, be in the request's
/// approver groups, and not be its requester. The decision is recorded (actor: the approver; operator: the local
/// account that ran the command) before it takes effect, and then sent to the configured webhooks by this process.
/// </summary>
internal static class DecideApprovalCommand
{
    public static Command Create(bool approve)
    {
        var id = new Argument<string>("approval-id") { Description = "The request's id, as 'proctor approvals list' shows it." };
        var token = new Option<string>("--token") { Description = "Your access token from the identity provider (the same kind MCP clients send): it says who approves.", Required = true };
        var comment = new Option<string?>("--comment") { Description = "Why; recorded (masked) with the decision and shown to the caller on a denial." };
        var config = GatewayData.ConfigOption();
        var verb = approve ? "approve" : "deny";
        var command = new Command(verb, approve
            ? "Approve a held call: once enough approvers have, it runs once when the caller calls again with the same arguments (a held call is released at once)."
            : "Deny a held call: it is refused, and calling again makes a new request.") { id, token, comment, config };
        command.SetAction(async (result, ct) =>
        {
            if (ApprovalsCommand.Locate(result.GetValue(config)!) is not { } sections)
            {
                return ExitCodes.BadConfiguration;
            }

            if (sections.Identity is not { } identity)
            {
                Console.Error.WriteLine("error: the configuration has no identity section, so no approver can be verified; approvals need identity and identity.roles.approver (docs/approvals.md).");
                return ExitCodes.BadConfiguration;
            }

            if (await PersonTokens.VerifyAsync(identity, result.GetValue(token)!, IdentityRoles.Approver, "approve", ct).ConfigureAwait(false) is not { } approver)
            {
                return ExitCodes.Failure;
            }

            await using var store = await GatewayData.OpenLedgerAsync(sections.Storage, ct).ConfigureAwait(false);
            if (store is null)
            {
                return ExitCodes.BadConfiguration;
            }

            await using var ledger = new AuditLedger(store);
            var masking = PersonTokens.BuiltInMasking();
            await using var notices = CliNotices.Open(result.GetValue(config)!, masking);
            var recorder = new NotifyingApprovalRecorder(new ApprovalEvents(ledger, Environment.MachineName, TimeProvider.System), notices, TimeProvider.System);
            var desk = new ApprovalDesk(ApprovalsCommand.Store(sections), recorder, new InProcessApprovalSignals(), TimeProvider.System, sections.Approvals.Validity);
            var actor = new ApprovalActor(approver.Subject)
            {
                Issuer = approver.Issuer,
                Groups = approver.Groups,
                AuthMethod = approver.AuthenticationMethod,
                AuthenticationMethods = approver.AuthenticationMethods,
                Via = "cli",
                Operator = ConfiguredLedger.Operator().Subject,
            };
            ApprovalDecision decision;
            try
            {
                decision = await desk.DecideAsync(result.GetValue(id)!, new Approver(approver.Key, approver.Subject, approver.Groups), actor, approve, PersonTokens.Masked(result.GetValue(comment)), ct).ConfigureAwait(false);
            }
            catch (LedgerUnavailableException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}; nothing was decided.");
                return ExitCodes.Failure;
            }

            if (decision.Refusal is { } refusal)
            {
                Console.Error.WriteLine($"error: {refusal.Message}");
                return ExitCodes.Failure;
            }

            var request = decision.Request!;
            Console.WriteLine(request.State switch
            {
                ApprovalState.Approved => $"Approved {request.Id} as {approver.Subject}: {request.Binding.Server}/{request.Binding.Tool} for {request.Requester} may now run once (a held call runs now; otherwise when {request.Requester} calls again with the same arguments before {request.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC).",
                ApprovalState.Pending => $"Approved {request.Id} as {approver.Subject}: {request.Approvals.Count} of {request.MinApprovals} approvals; it needs {request.MinApprovals - request.Approvals.Count} more from {string.Join(" or ", request.ApproverGroups)}.",
                _ => $"Denied {request.Id} as {approver.Subject}: the call of {request.Binding.Server}/{request.Binding.Tool} for {request.Requester} is refused.",
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
