using System.CommandLine;
using Proctor.Cli;

var root = new RootCommand("Proctor: the compliance gateway for MCP. Every tool call tied to an identity, approved where risky, recorded, and masked.")
{
    ServeCommand.Create(),
    DemoCommand.Create(),
    SampleCommand.Create(),
    AuditCommand.Create(),
    SessionsCommand.Create(),
    KeysCommand.Create(),
};
var parsed = root.Parse(args);
var exitCode = await parsed.InvokeAsync();

// A command line that does not parse is the caller's to fix, like a bad configuration: exit 2.
return parsed.Errors.Count > 0 ? ExitCodes.BadConfiguration : exitCode;
