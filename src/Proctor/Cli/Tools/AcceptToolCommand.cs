using System.CommandLine;
using Proctor.Cli.Audit;
using Proctor.Evidence;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Storage;
using Proctor.Mcp.Pinning;

namespace Proctor.Cli.Tools;

/// <summary>
/// <c>proctor tools accept SERVER TOOL</c>: the changed definition the gateway last saw becomes the pinned one. The
/// acceptance is recorded in the ledger, with the local user who ran it, before it takes effect.
/// </summary>
internal static class AcceptToolCommand
{
    public static Command Create()
    {
        var server = new Argument<string>("server") { Description = "The upstream, as named under upstreams in the configuration." };
        var tool = new Argument<string>("tool") { Description = "The tool, as the upstream names it (without the server__ prefix)." };
        var config = GatewayData.ConfigOption();
        var command = new Command("accept", "Accept a tool's changed definition: the tool is listed and callable again. Recorded in the ledger with who accepted it.") { server, tool, config };
        command.SetAction(async (result, ct) =>
        {
            var (serverName, toolName) = (result.GetValue(server)!, result.GetValue(tool)!);
            return await ConfiguredLedger.RunAsync(result.GetValue(config)!, ConfiguredLedger.NoCheck, async (storage, store) =>
            {
                var pins = ToolsCommand.Store(storage);
                var pin = await pins.FindAsync(serverName, toolName, ct).ConfigureAwait(false);
                if (pin?.Seen is not { } seen)
                {
                    Console.Error.WriteLine(pin is null
                        ? $"error: tool '{toolName}' on server '{serverName}' is not pinned; the gateway pins a tool when it first lists it. See 'proctor tools list'."
                        : $"error: tool '{toolName}' on server '{serverName}' has no changed definition waiting; it is usable as it is.");
                    return ExitCodes.Failure;
                }

                var admin = ConfiguredLedger.Operator();
                await using var ledger = new AuditLedger(store);
                try
                {
                    await new ToolPinEvents(ledger, TimeProvider.System).AcceptedAsync(new ToolPinAcceptance(serverName, toolName, pin.Fingerprint, seen), admin, ct).ConfigureAwait(false);
                    await pins.AcceptAsync(serverName, toolName, seen, admin.Subject!, TimeProvider.System.GetUtcNow(), ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is LedgerUnavailableException or ToolPinStoreException)
                {
                    Console.Error.WriteLine($"error: {ex.Message}");
                    return ExitCodes.Failure;
                }

                Console.WriteLine($"Accepted the new definition of tool '{toolName}' on server '{serverName}' ({pin.Fingerprint[..12]}… -> {seen[..12]}…); it is listed and callable again.");
                return ExitCodes.Ok;
            }, ct).ConfigureAwait(false);
        });
        return command;
    }
}
