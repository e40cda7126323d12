using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Events;
using Proctor.Ledger.Examination;
using Proctor.Ledger.Proofs;
using Proctor.Ledger.Retention;
using Proctor.Ledger.Storage;
using Proctor.Ledger.Verification;
using Spectre.Console;
using Proctor.Configuration.Models;

namespace Proctor.Cli;

/// <summary>
/// <c>proctor audit verify|checkpoint|proof|verify-proof|hold|purge</c>: the examiner's and operator's
/// tools on the tamper-evident ledger (docs/ledger.md). Everything here works on the database alone.
/// </summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var command = new Command("audit", "Verify the tamper-evident audit ledger, export and check proofs, and manage retention.");
        command.Subcommands.Add(VerifyCommand());
        command.Subcommands.Add(CheckpointCommand());
        command.Subcommands.Add(ProofCommand());
        command.Subcommands.Add(VerifyProofCommand());
        command.Subcommands.Add(HoldCommand());
        command.Subcommands.Add(PurgeCommand());
        return command;
    }

    private static Option<string?> KeyOption(string description) => new("--key") { Description = description };

    private static Command VerifyCommand()
    {
        var config = GatewayData.ConfigOption();
        var json = GatewayData.JsonOption();
        var key = KeyOption("The ledger's verifier key (text or file) to check checkpoint signatures with. Examiners: use the copy you were given, not the one beside the database. Default: ledger-public.key beside the database.");
        var command = new Command("verify", """
            Check the whole ledger: recompute every event's hash, rebuild the Merkle tree, check every
            signed checkpoint and that each extends the one before. Exit 0 only when intact; otherwise
            exit 1 and name the first bad index and what is wrong (edited, missing, reordered, truncated,
            bad signature).
            """) { config, key, json };
        command.SetAction((result, ct) => VerifyAsync(result.GetValue(config)!, result.GetValue(key), result.GetValue(json), ct));
        return command;
    }

    private static async Task<int> VerifyAsync(FileInfo config, string? keyText, bool json, CancellationToken cancellationToken)
    {
        if (GatewayData.Locate(config) is not { } storage || GatewayData.VerifierKey(storage, keyText) is not { } key)
        {
            return ExitCodes.BadConfiguration;
        }

        await using var store = await GatewayData.OpenLedgerAsync(storage, cancellationToken).ConfigureAwait(false);
        if (store is null)
        {
            return ExitCodes.BadConfiguration;
        }

        var verifier = new LedgerVerifier(store, store, key);
        var result = json || Console.IsErrorRedirected
            ? await verifier.VerifyAsync(null, cancellationToken).ConfigureAwait(false)
            : await WithProgressAsync(verifier, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            Console.WriteLine(ExaminerJson.Verification(result).ToJsonString());
        }
        else if (result.Problem is { } problem)
        {
            Console.WriteLine($"NOT INTACT at index {problem.Index}: {problem.Kind}: {problem.Message}");
        }
        else
        {
            Console.WriteLine($"Intact: {result.EntriesChecked} events ({result.PurgedEntries} purged under retention), {result.CheckpointsChecked} signed checkpoints, tree size {result.TreeSize}, root {Convert.ToBase64String(result.RootHash)}");
        }

        return result.IsValid ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static Task<VerificationResult> WithProgressAsync(LedgerVerifier verifier, CancellationToken cancellationToken) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }).Progress().StartAsync(async context =>
        {
            var task = context.AddTask("Verifying the ledger");
            return await verifier.VerifyAsync(new Progress<VerificationProgress>(p =>
            {
                task.MaxValue = Math.Max(1, p.TotalEntries);
                task.Value = p.EntriesChecked;
            }), cancellationToken).ConfigureAwait(false);
        });

    private static Command CheckpointCommand()
    {
        var config = GatewayData.ConfigOption();
        var json = GatewayData.JsonOption();
        var command = new Command("checkpoint", "Print the latest signed checkpoint (C2SP signed note: origin, tree size, root hash, time, signature) and the verifier key.") { config, json };
        command.SetAction(async (result, ct) =>
        {
            if (GatewayData.Locate(result.GetValue(config)!) is not { } storage)
            {
                return ExitCodes.BadConfiguration;
            }

            await using var store = await GatewayData.OpenLedgerAsync(storage, ct).ConfigureAwait(false);
            if (store is null)
            {
                return ExitCodes.BadConfiguration;
            }

            if (await store.GetLatestCheckpointAsync(ct).ConfigureAwait(false) is not { } latest)
            {
                Console.Error.WriteLine("No checkpoint is signed yet: the gateway signs one every 10 seconds while it runs.");
                return ExitCodes.Failure;
            }

            var key = GatewayData.VerifierKey(storage, null);
            Console.Write(result.GetValue(json)
                ? ExaminerJson.Checkpoint(latest, key).ToJsonString() + "\n"
                : $"{latest.Note}\nverifier key: {key}\n");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ProofCommand()
    {
        var eventId = new Argument<string>("event-id") { Description = "The event's id, as shown by 'proctor sessions show'." };
        var output = new Option<FileInfo>("--out", "-o") { Description = "Where to write the proof (JSON).", Required = true };
        var config = GatewayData.ConfigOption();
        var command = new Command("proof", "Export a self-contained inclusion proof of one event: the event, its index, the Merkle path and the signed checkpoint. 'proctor audit verify-proof' checks it offline with the public key alone.") { eventId, output, config };
        command.SetAction(async (result, ct) =>
        {
            if (GatewayData.Locate(result.GetValue(config)!) is not { } storage || GatewayData.VerifierKey(storage, null) is not { } key)
            {
                return ExitCodes.BadConfiguration;
            }

            await using var store = await GatewayData.OpenLedgerAsync(storage, ct).ConfigureAwait(false);
            if (store is null)
            {
                return ExitCodes.BadConfiguration;
            }

            var id = result.GetValue(eventId)!;
            if (await store.FindEventAsync(id, ct).ConfigureAwait(false) is not { } found)
            {
                Console.Error.WriteLine($"error: no event {id} in the ledger at {storage.Path}.");
                return ExitCodes.Failure;
            }

            try
            {
                var proof = await InclusionProof.CreateAsync(store, store, key, found.Index, ct).ConfigureAwait(false);
                var file = result.GetValue(output)!;
                await File.WriteAllTextAsync(file.FullName, proof.ToJson(), ct).ConfigureAwait(false);
                Console.WriteLine($"Proof of event {id} (index {found.Index}, tree size {proof.TreeSize}) written to {file.FullName}");
                return ExitCodes.Ok;
            }
            catch (InvalidOperationException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static Command VerifyProofCommand()
    {
        var file = new Argument<FileInfo>("file") { Description = "A proof written by 'proctor audit proof'." };
        var key = KeyOption("The ledger's verifier key (text or file), from a trusted source.");
        key.Required = true;
        var json = GatewayData.JsonOption();
        var command = new Command("verify-proof", "Check an inclusion proof offline, with the verifier key alone (no database, no gateway). Exit 0 only if it proves the event is in the signed ledger.") { file, key, json };
        command.SetAction((result, _) =>
        {
            var path = result.GetValue(file)!;
            if (!path.Exists)
            {
                Console.Error.WriteLine($"error: {path.FullName} does not exist.");
                return Task.FromResult(ExitCodes.BadConfiguration);
            }

            if (GatewayData.VerifierKey(null, result.GetValue(key)) is not { } verifierKey)
            {
                return Task.FromResult(ExitCodes.BadConfiguration);
            }

            string? problem;
            InclusionProof? proof = null;
            try
            {
                proof = InclusionProof.Parse(File.ReadAllText(path.FullName));
                problem = proof.Verify(verifierKey);
            }
            catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                problem = $"the file is not a Proctor inclusion proof ({ex.Message})";
            }

            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { valid = problem is null, problem, index = proof?.Index, tree_size = proof?.TreeSize }));
            }
            else
            {
                Console.WriteLine(problem is null
                    ? $"Valid: the event at index {proof!.Index} is in the ledger signed at tree size {proof.TreeSize}."
                    : $"INVALID: {problem}");
            }

            return Task.FromResult(problem is null ? ExitCodes.Ok : ExitCodes.Failure);
        });
        return command;
    }

    private static Command HoldCommand()
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

            return await WithPurgerAsync(result.GetValue(config)!, ct, async purger =>
            {
                var receipt = await purger.PlaceHoldAsync(scope, value, result.GetValue(reason)!, Operator(), ct).ConfigureAwait(false);
                Console.WriteLine($"Hold placed on {scope.ToString().ToLowerInvariant()} {value} (ledger index {receipt.Index}).");
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command PurgeCommand()
    {
        var before = new Option<string?>("--before") { Description = "Purge payloads of events before this UTC date, e.g. 2019-01-01. Default: what storage.retention keeps (e.g. 7y: before this day seven years ago)." };
        var config = GatewayData.ConfigOption();
        var json = GatewayData.JsonOption();
        var command = new Command("purge", """
            Remove the payloads (arguments, results, identities) of events older than --before (default:
            past the configured storage.retention), except those under a legal hold. Indexes and hashes
            stay, so the ledger and its checkpoints still verify; the purge is itself recorded as an event.
            """) { before, config, json };
        command.SetAction(async (result, ct) =>
        {
            if (GatewayData.Locate(result.GetValue(config)!) is not { } storage || Cutoff(result.GetValue(before), storage) is not { } cutoff)
            {
                return ExitCodes.BadConfiguration;
            }

            return await WithPurgerAsync(result.GetValue(config)!, ct, async purger =>
            {
                var purged = await purger.PurgeAsync(cutoff, Operator(), ct, result.GetValue(before) is null ? storage.Retention!.ToString() : null).ConfigureAwait(false);
                Console.WriteLine(result.GetValue(json)
                    ? JsonSerializer.Serialize(new { purged = purged.PurgedEntries, purge_event_index = purged.PurgeEvent.Index })
                    : $"Purged the payloads of {purged.PurgedEntries} events before {cutoff:yyyy-MM-dd}; recorded at ledger index {purged.PurgeEvent.Index}.");
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The explicit <c>--before</c> date, else the configured retention's cutoff today; null after saying why neither works.</summary>
    private static DateTimeOffset? Cutoff(string? before, Configuration.Models.StorageSettings storage)
    {
        if (before is null)
        {
            if (storage.Retention is { } retention)
            {
                return retention.CutoffAt(DateTimeOffset.UtcNow);
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

    private static async Task<int> WithPurgerAsync(FileInfo config, CancellationToken cancellationToken, Func<PayloadPurger, Task<int>> action)
    {
        if (GatewayData.Locate(config) is not { } storage)
        {
            return ExitCodes.BadConfiguration;
        }

        await using var store = await GatewayData.OpenLedgerAsync(storage, cancellationToken).ConfigureAwait(false);
        if (store is null)
        {
            return ExitCodes.BadConfiguration;
        }

        await using var ledger = new AuditLedger(store);
        try
        {
            return await action(new PayloadPurger(ledger, store, TimeProvider.System)).ConfigureAwait(false);
        }
        catch (LedgerUnavailableException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Who ran the command, as the ledger records administrative actions.</summary>
    private static EventActor Operator() => new() { Subject = $"cli:{Environment.UserName}", AuthMethod = "local-user" };
}
