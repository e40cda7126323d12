using System.CommandLine;

namespace Proctor.Cli.Tools;

/// <summary><c>proctor tools list SERVER</c>: the server's pinned tools, and which are blocked by a changed definition.</summary>
internal static class ListToolsCommand
{
    public static Command Create()
    {
        var server = new Argument<string>("server") { Description = "The upstream, as named under upstreams in the configuration." };
        var config = GatewayData.ConfigOption();
        var command = new Command("list", "List a server's pinned tools; a tool marked BLOCKED waits for 'proctor tools accept'.") { server, config };
        command.SetAction(async (result, ct) =>
        {
            if (GatewayData.Locate(result.GetValue(config)!) is not { } storage)
            {
                return ExitCodes.BadConfiguration;
            }

            var pins = await ToolsCommand.Store(storage).ListAsync(result.GetValue(server)!, ct).ConfigureAwait(false);
            foreach (var pin in pins)
            {
                var state = pin.Seen is null ? "pinned " : "BLOCKED";
                var seen = pin.Seen is null ? "" : $" changed to {pin.Seen[..12]}… at {pin.SeenAt:u}";
                Console.WriteLine($"{state} {pin.Tool}  {pin.Fingerprint[..12]}… by {pin.PinnedBy} at {pin.PinnedAt:u}{seen}");
            }

            if (pins.Count == 0)
            {
                Console.WriteLine($"No tools of server '{result.GetValue(server)}' are pinned yet; the gateway pins each tool when it first lists it.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
