using System.CommandLine;
using System.Text.Json;
using Proctor.Approvals.Requests;
using Proctor.Approvals.Rules;

namespace Proctor.Cli.Approvals;

/// <summary><c>proctor approvals show ID</c>: everything an approver reads before deciding (arguments masked, as stored).</summary>
internal static class ShowApprovalCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var id = new Argument<string>("approval-id") { Description = "The request's id, as 'proctor approvals list' and the held caller's answer show it." };
        var config = GatewayData.ConfigOption();
        var json = GatewayData.JsonOption();
        var command = new Command("show", "Show one approval request: who asks, the tool and its (masked) arguments, the rule, the justification, who may decide, and what happened.") { id, config, json };
        command.SetAction(async (result, ct) =>
        {
            if (ApprovalsCommand.Locate(result.GetValue(config)!) is not { } sections)
            {
                return ExitCodes.BadConfiguration;
            }

            var approvalId = result.GetValue(id)!;
            if (await ApprovalsCommand.Store(sections).FindAsync(approvalId, ct).ConfigureAwait(false) is not { } request)
            {
                Console.Error.WriteLine($"error: no approval request {approvalId}; 'proctor approvals list --state all' lists them.");
                return ExitCodes.Failure;
            }

            var now = TimeProvider.System.GetUtcNow();
            if (result.GetValue(json))
            {
                Console.WriteLine(ApprovalJson.Of(request, now).ToJsonString());
                return ExitCodes.Ok;
            }

            Console.WriteLine($"Approval:       {request.Id} ({ApprovalStates.Name(ApprovalRules.StateAt(request, now))})");
            Console.WriteLine($"Requester:      {request.Requester}");
            Console.WriteLine($"Call:           {request.Binding.Server}/{request.Binding.Tool}");
            Console.WriteLine($"Arguments:      {JsonSerializer.Serialize(JsonDocument.Parse(request.MaskedArguments).RootElement, Indented).Replace("\n", "\n                ", StringComparison.Ordinal)}");
            Console.WriteLine($"Justification:  {request.Justification ?? "(none given)"}");
            Console.WriteLine($"Rule:           {request.Binding.Rule}: {request.Reason}");
            Console.WriteLine($"Approvers:      {request.MinApprovals} of {string.Join(", ", request.ApproverGroups)} (never the requester)");
            foreach (var vote in request.Approvals)
            {
                Console.WriteLine($"Approved by:    {vote.Subject} at {vote.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC via {vote.Via}{(vote.Comment is null ? "" : $": {vote.Comment}")}");
            }

            if (request.Denial is { } denial)
            {
                Console.WriteLine($"Denied by:      {denial.Subject} at {denial.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC via {denial.Via}{(denial.Comment is null ? "" : $": {denial.Comment}")}");
            }

            Console.WriteLine($"Requested:      {request.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC; valid until {request.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
            if (request.UsedAt is { } used)
            {
                Console.WriteLine($"Used:           {used.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC by call {request.UsedByCall}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
