using System.CommandLine;
using Proctor.Evidence.Verification;

namespace Proctor.Cli.Evidence;

/// <summary><c>proctor evidence export|verify</c>: the package handed to an examiner, and its offline check (docs/evidence.md).</summary>
internal static class EvidenceCommand
{
    public static Command Create()
    {
        var command = new Command("evidence", "Export a signed, offline-verifiable evidence package for a period, and verify one.");
        command.Subcommands.Add(ExportCommand.Create());
        command.Subcommands.Add(VerifyCommandLine.Create("verify"));
        return command;
    }
}
