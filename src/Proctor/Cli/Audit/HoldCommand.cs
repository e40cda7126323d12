using System.CommandLine;
using Proctor.Ledger.Storage;

namespace Proctor.Cli.Audit;

/// <summary><c>proctor audit hold</c>: a legal hold, itself recorded in the ledger.</summary>
internal static class HoldCommand
{
    public static Command Create()
    {
        var session = new Option<string?>("--session") { Description = "Hold every event of this session." };
        var subject = new Option<string?>("--subject") { Description = "Hold every event of this caller (the subject, e.g. alice or agent:nightly)." };
        var reason = new Option<string>("--reason") { Description = "Why, e.g. the matter or case number; recorded in the ledger.", Required = true };
        var config = GatewayData.ConfigOption();
        var command = new Command("hold", "Place a legal hold: the held events' payloads are never purged. The hold is itself a ledger event.") { session, subject, reason, config };
        command.SetAction(async (result, ct) =>
        {
            var (scope, value) = result.GetValue(session) is { } s ? (HoldScope.Session, s) : result.GetValue(subject) is { } u ? (HoldScope.Subject, u) : (default, null!);
            if (value is null)
            {
                Console.Error.WriteLine("error: name what to hold with --session ID or --subject SUBJECT.");
                return ExitCodes.BadConfiguration;
            }

            return await ConfiguredLedger.RunWithPurgerAsync(result.GetValue(config)!, ConfiguredLedger.NoCheck, async (_, purger) =>
            {
                var receipt = await purger.PlaceHoldAsync(scope, value, result.GetValue(reason)!, ConfiguredLedger.Operator(), ct).ConfigureAwait(false);
                Console.WriteLine($"Hold placed on {scope.ToString().ToLowerInvariant()} {value} (ledger index {receipt.Index}).");
                return ExitCodes.Ok;
            }, ct).ConfigureAwait(false);
        });
        return command;
    }
}
