using System.CommandLine;

namespace Proctor.Cli.Audit;

/// <summary>
/// <c>proctor audit verify|checkpoint|proof|verify-proof|hold|purge|disk-check</c>: the examiner's and operator's
/// tools on the tamper-evident ledger (docs/ledger.md). Everything here works on the database alone, or, for
/// disk-check, on the folder it lives in.
/// </summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var command = new Command("audit", "Verify the tamper-evident audit ledger, export and check proofs, manage retention, and measure the ledger's disk.");
        command.Subcommands.Add(VerifyCommand.Create());
        command.Subcommands.Add(CheckpointCommand.Create());
        command.Subcommands.Add(ProofCommand.Create());
        command.Subcommands.Add(VerifyProofCommand.Create());
        command.Subcommands.Add(HoldCommand.Create());
        command.Subcommands.Add(PurgeCommand.Create());
        command.Subcommands.Add(DiskCheckCommand.Create());
        return command;
    }

    public static Option<string?> KeyOption(string description) => new("--key") { Description = description };
}
