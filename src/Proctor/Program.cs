using System.CommandLine;
using Proctor.Cli;

var root = new RootCommand("Proctor: the compliance gateway for MCP. Every tool call tied to an identity, approved where risky, recorded, and masked.")
{
    ServeCommand.Create(),
    DemoCommand.Create(),
    SampleCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
