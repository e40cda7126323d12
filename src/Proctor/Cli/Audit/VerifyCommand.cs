using System.CommandLine;
using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Examination;
using Proctor.Ledger.Verification;
using Spectre.Console;

namespace Proctor.Cli.Audit;

/// <summary><c>proctor audit verify</c>: the whole ledger, event by event and checkpoint by checkpoint.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var config = GatewayData.ConfigOption();
        var json = GatewayData.JsonOption();
        var key = AuditCommand.KeyOption("The ledger's verifier key (text or file) to check checkpoint signatures with. Examiners: use the copy you were given, not the one beside the database. Default: ledger-public.key beside the database.");
        var command = new Command("verify", """
            Check the whole ledger: recompute every event's hash, rebuild the Merkle tree, check every
            signed checkpoint and that each extends the one before. Exit 0 only when intact; otherwise
            exit 1 and name the first bad index and what is wrong (edited, missing, reordered, truncated,
            bad signature).
            """) { config, key, json };
        command.SetAction((result, ct) => VerifyAsync(result.GetValue(config)!, result.GetValue(key), result.GetValue(json), ct));
        return command;
    }

    private static Task<int> VerifyAsync(FileInfo config, string? keyText, bool json, CancellationToken cancellationToken)
    {
        NoteVerifierKey? key = null;
        return ConfiguredLedger.RunAsync(config, storage => (key = GatewayData.VerifierKey(storage, keyText)) is not null, async (_, store) =>
        {
            var verifier = new LedgerVerifier(store, store, key!);
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
        }, cancellationToken);
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
}
