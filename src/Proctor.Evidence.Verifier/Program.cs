using System.CommandLine;
using Proctor.Evidence.Verification;

// The same command line as 'proctor evidence verify': proctor-verify FILE [--key K] [--checkpoint C] [--json].
var root = VerifyCommandLine.Configure(new RootCommand(VerifyCommandLine.Description));
var parsed = root.Parse(args);
var exitCode = await parsed.InvokeAsync();

// A command line that does not parse is the caller's to fix: exit 2, as for an unreadable package.
return parsed.Errors.Count > 0 ? VerifyCommandLine.Unusable : exitCode;
