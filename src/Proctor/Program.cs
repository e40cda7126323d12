using System.CommandLine;
using Proctor.Cli;
using Proctor.Cli.Access;
using Proctor.Cli.Approvals;
using Proctor.Cli.Audit;
using Proctor.Cli.Evidence;
using Proctor.Cli.Keys;
using Proctor.Cli.Tools;

var root = new RootCommand("Proctor: the compliance gateway for MCP. Every tool call tied to an identity, approved where risky, recorded, and masked.")
{
    ServeCommand.Create(),
    DemoCommand.Create(),
    SampleCommand.Create(),
    AuditCommand.Create(),
    SessionsCommand.Create(),
    KeysCommand.Create(),
    PolicyCommand.Create(),
    ToolsCommand.Create(),
    ApprovalsCommand.Create(),
    AccessCommand.Create(),
    ReviewsCommand.Create(),
    EvidenceCommand.Create(),
};
var parsed = root.Parse(args);

// The gateway's host handles SIGTERM and SIGINT itself and shuts down in order (docs/operations.md); System.CommandLine's
// own handling would end the process 2 s after the signal with code 143, cutting every call in flight.
var invocation = new InvocationConfiguration();
if (parsed.CommandResult.Command.Name is ServeCommand.Name or DemoCommand.Name)
{
    invocation.ProcessTerminationTimeout = null;
}

var exitCode = await parsed.InvokeAsync(invocation);

// A command line that does not parse is the caller's to fix, like a bad configuration: exit 2.
return parsed.Errors.Count > 0 ? ExitCodes.BadConfiguration : exitCode;
