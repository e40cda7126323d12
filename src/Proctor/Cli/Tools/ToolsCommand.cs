using System.CommandLine;
using Proctor.Configuration.Models;
using Proctor.Storage.Sqlite.ToolPins;

namespace Proctor.Cli.Tools;

/// <summary><c>proctor tools accept|list</c>: pinned tool definitions (decision 0034).</summary>
internal static class ToolsCommand
{
    public static Command Create()
    {
        var command = new Command("tools", """
            Review pinned tool definitions. The gateway pins the first definition it sees of each tool
            (description, schemas, annotations); when an upstream later offers a different one, the tool
            is hidden and refused until an administrator accepts the new definition here. Pins live in the
            database named by storage.path; every change and acceptance is a ledger event.
            """);
        command.Subcommands.Add(AcceptToolCommand.Create());
        command.Subcommands.Add(ListToolsCommand.Create());
        return command;
    }

    public static SqliteToolPinStore Store(StorageSettings storage) => new(storage.Path);
}
