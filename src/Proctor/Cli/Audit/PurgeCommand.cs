using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Proctor.Configuration.Models;

namespace Proctor.Cli.Audit;

/// <summary><c>proctor audit purge</c>: removes old payloads under retention; hashes stay, so the ledger still verifies.</summary>
internal static class PurgeCommand
{
    public static Command Create()
    {
        var before = new Option<string?>("--before") { Description = "Purge payloads of events before this UTC date, e.g. 2019-01-01. Default: what storage.retention keeps (e.g. 7y: before this day seven years ago)." };
        var config = GatewayData.ConfigOption();
        var json = GatewayData.JsonOption();
        var command = new Command("purge", """
            Remove the payloads (arguments, results, identities) of events older than --before (default:
            past the configured storage.retention), except those under a legal hold. Indexes and hashes
            stay, so the ledger and its checkpoints still verify; the purge is itself recorded as an event.
            """) { before, config, json };
        command.SetAction((result, ct) =>
        {
            DateTimeOffset? cutoff = null;
            return ConfiguredLedger.RunWithPurgerAsync(result.GetValue(config)!, storage => (cutoff = Cutoff(result.GetValue(before), storage)) is not null, async (storage, purger) =>
            {
                var purged = await purger.PurgeAsync(cutoff!.Value, ConfiguredLedger.Operator(), ct, result.GetValue(before) is null ? storage.Retention!.ToString() : null).ConfigureAwait(false);
                Console.WriteLine(result.GetValue(json)
                    ? JsonSerializer.Serialize(new { purged = purged.PurgedEntries, purge_event_index = purged.PurgeEvent.Index })
                    : $"Purged the payloads of {purged.PurgedEntries} events before {cutoff.Value:yyyy-MM-dd}; recorded at ledger index {purged.PurgeEvent.Index}.");
                return ExitCodes.Ok;
            }, ct);
        });
        return command;
    }

    /// <summary>The explicit <c>--before</c> date, else the configured retention's cutoff today; null after saying why neither works.</summary>
    private static DateTimeOffset? Cutoff(string? before, StorageSettings storage)
    {
        if (before is null)
        {
            if (storage.Retention is { } retention)
            {
                return retention.CutoffAt(TimeProvider.System.GetUtcNow());
            }

            Console.Error.WriteLine("error: no --before date and no storage.retention in the configuration; pass --before 2019-01-01 or set storage.retention (e.g. \"7y\").");
            return null;
        }

        if (!DateTimeOffset.TryParse(before, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var cutoff))
        {
            Console.Error.WriteLine($"error: --before '{before}' is not a date; use e.g. 2019-01-01.");
            return null;
        }

        return cutoff;
    }
}
