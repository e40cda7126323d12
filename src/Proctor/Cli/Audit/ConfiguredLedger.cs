using Proctor.Configuration.Models;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Events;
using Proctor.Ledger.Retention;
using Proctor.Ledger.Storage;
using Proctor.Storage.Sqlite.Ledger;

namespace Proctor.Cli.Audit;

/// <summary>
/// The one way the audit verbs reach the ledger: find <c>storage.path</c> in the configuration, run the verb's own
/// checks on it, open the existing database, act, close. Each step that fails has already said why on standard error.
/// </summary>
internal static class ConfiguredLedger
{
    /// <param name="check">The verb's checks before the database is opened (a key, a date); false after printing why.</param>
    public static async Task<int> RunAsync(FileInfo config, Func<StorageSettings, bool> check, Func<StorageSettings, SqliteLedgerStore, Task<int>> action, CancellationToken cancellationToken)
    {
        if (GatewayData.Locate(config) is not { } storage || !check(storage))
        {
            return ExitCodes.BadConfiguration;
        }

        await using var store = await GatewayData.OpenLedgerAsync(storage, cancellationToken).ConfigureAwait(false);
        if (store is null)
        {
            return ExitCodes.BadConfiguration;
        }

        return await action(storage, store).ConfigureAwait(false);
    }

    /// <summary>The same, for verbs that append to the ledger through the retention purger (holds, purges).</summary>
    public static Task<int> RunWithPurgerAsync(FileInfo config, Func<StorageSettings, bool> check, Func<StorageSettings, PayloadPurger, Task<int>> action, CancellationToken cancellationToken) =>
        RunAsync(config, check, async (storage, store) =>
        {
            await using var ledger = new AuditLedger(store);
            try
            {
                return await action(storage, new PayloadPurger(ledger, store, TimeProvider.System)).ConfigureAwait(false);
            }
            catch (LedgerUnavailableException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.Failure;
            }
        }, cancellationToken);

    public static bool NoCheck(StorageSettings storage) => true;

    /// <summary>Who ran the command, as the ledger records administrative actions.</summary>
    public static EventActor Operator() => new() { Subject = $"cli:{Environment.UserName}", AuthMethod = "local-user" };
}
