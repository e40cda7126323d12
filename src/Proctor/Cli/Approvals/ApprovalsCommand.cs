using System.CommandLine;
using Proctor.Configuration;
using Proctor.Storage.Sqlite.Approvals;

namespace Proctor.Cli.Approvals;

/// <summary>
/// <c>proctor approvals list|show|approve|deny</c>: where approvers act on calls held for approval (docs/approvals.md).
/// Reading needs access to the database, as the other offline verbs; approving and denying also need the approver's
/// own access token, verified against the configuration's identity section, so the approver is a verified person with
/// verified groups and never the requester (decision 0037). Every decision is recorded in the ledger before it takes
/// effect; a call held by a running gateway is released within a second.
/// </summary>
internal static class ApprovalsCommand
{
    public static Command Create()
    {
        var command = new Command("approvals", """
            Review and decide calls held for approval. A policy rule with effect approve holds a matching call
            until someone in the rule's approver groups (never the caller) approves it; the approved call then
            runs once, when the caller calls again with the same arguments within the validity window. Requests
            live in the database named by storage.path; every request, decision, expiry and use is a ledger event.
            """);
        command.Subcommands.Add(ListApprovalsCommand.Create());
        command.Subcommands.Add(ShowApprovalCommand.Create());
        command.Subcommands.Add(DecideApprovalCommand.Create(approve: true));
        command.Subcommands.Add(DecideApprovalCommand.Create(approve: false));
        return command;
    }

    /// <summary>The configuration's storage, identity and approval sections, or null after printing why they cannot be read.</summary>
    public static ApproverSections? Locate(FileInfo config)
    {
        if (!config.Exists)
        {
            Console.Error.WriteLine($"error: configuration file '{config.FullName}' does not exist; pass the gateway's configuration with --config.");
            return null;
        }

        var (sections, errors) = ConfigurationLoader.LoadApproverSections(config.FullName, GatewayData.ProcessEnvironment());
        if (sections is null)
        {
            GatewayData.ReportErrors(config, errors);
        }

        return sections;
    }

    public static SqliteApprovalStore Store(ApproverSections sections) => new(sections.Storage.Path);
}
