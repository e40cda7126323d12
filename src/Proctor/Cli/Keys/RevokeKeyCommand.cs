using System.CommandLine;
using Proctor.Identity.AgentKeys;
using Proctor.Storage.Sqlite.AgentKeys;
using Spectre.Console;

namespace Proctor.Cli.Keys;

/// <summary><c>proctor keys revoke</c>: revocation, which gateways honour within the key cache's lifetime.</summary>
internal static class RevokeKeyCommand
{
    public static Command Create()
    {
        var key = new Argument<string>("name-or-id") { Description = "The agent's name or the key's id (ak_…) as shown by 'proctor keys list'." };
        var config = GatewayData.ConfigOption();
        var command = new Command("revoke", "Revoke an agent key. Gateways refuse it within 5 seconds; the record stays for the audit trail.") { key, config };
        command.SetAction((result, cancellationToken) => RevokeAsync(result.GetValue(key)!, result.GetValue(config)!, cancellationToken));
        return command;
    }

    private static async Task<int> RevokeAsync(string nameOrId, FileInfo config, CancellationToken cancellationToken)
    {
        if (KeysCommand.Store(config) is not { } store)
        {
            return ExitCodes.BadConfiguration;
        }

        try
        {
            var key = await store.RevokeAsync(nameOrId, TimeProvider.System.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            AnsiConsole.Console.MarkupLineInterpolated($"Revoked agent key {key.Id} ({key.Subject}). Gateways refuse it within {AgentKeyAuthenticator.CacheLifetime.TotalSeconds:0} seconds.");
            return ExitCodes.Ok;
        }
        catch (AgentKeyStoreException e)
        {
            return KeysCommand.Usage(e.Message);
        }
    }
}
