using System.CommandLine;
using Proctor.Cli.Audit;
using Proctor.Configuration;
using Proctor.Evidence;
using Proctor.Evidence.Export;
using Proctor.Evidence.Reports;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Examination;
using Proctor.Storage.Sqlite.Ledger;
using Spectre.Console;

namespace Proctor.Cli.Evidence;

/// <summary>
/// <c>proctor evidence export --from --to [--server] [--identity] --out FILE</c>: writes the package, then records an
/// <c>evidence.export</c> event naming the operator, the period, the filters and the package's SHA-256.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = $"Start of the period (UTC unless stated), e.g. {ExaminerTime.Example}.", Required = true };
        var to = new Option<string>("--to") { Description = "End of the period, exclusive.", Required = true };
        var server = new Option<string?>("--server") { Description = "Include the content of this upstream server's events only; the others are proven by their hashes." };
        var identity = new Option<string?>("--identity") { Description = "Include the content of this person's events only (their calls, and approvals and grants they asked for); the others are proven by their hashes." };
        var output = new Option<FileInfo>("--out", "-o") { Description = "The package to write (.zip); an existing file is not overwritten.", Required = true };
        var config = GatewayData.ConfigOption();
        var command = new Command("export", "Export the period's events (masked, as recorded), the proofs tying them to a signed checkpoint and the signed manifest, into one zip an examiner verifies offline.") { from, to, server, identity, output, config };
        command.SetAction((result, ct) =>
        {
            if (!ExaminerTime.TryParse(result.GetValue(from)!, out var start) || !ExaminerTime.TryParse(result.GetValue(to)!, out var end))
            {
                Console.Error.WriteLine($"error: --from and --to take times, e.g. {ExaminerTime.Example}.");
                return Task.FromResult(ExitCodes.BadConfiguration);
            }
            var file = result.GetValue(output)!;
            if (file.Exists)
            {
                Console.Error.WriteLine($"error: {file.FullName} exists already; choose another --out (a package is never overwritten).");
                return Task.FromResult(ExitCodes.BadConfiguration);
            }
            var request = new ExportRequest(start, end, result.GetValue(server), result.GetValue(identity));
            // The whole configuration, not only storage: the reports state the masking rules and retention in force, and a
            // package that misstated them would mislead the examiner, so a configuration that does not load stops the export.
            var configFile = result.GetValue(config)!;
            var loaded = ConfigurationLoader.LoadFile(configFile.FullName, GatewayData.ProcessEnvironment());
            if (loaded.Model is not { } model)
            {
                GatewayData.ReportErrors(configFile, loaded.Errors);
                return Task.FromResult(ExitCodes.BadConfiguration);
            }
            var settings = ReportSettings.From(model);
            return ConfiguredLedger.RunAsync(configFile, ConfiguredLedger.NoCheck, (storage, store) => ExportAsync(storage.Path, store, settings, request, file, ct), ct);
        });
        return command;
    }

    private static async Task<int> ExportAsync(string databasePath, SqliteLedgerStore store, ReportSettings settings, ExportRequest request, FileInfo file, CancellationToken cancellationToken)
    {
        var keyPath = Path.Combine(Path.GetDirectoryName(databasePath)!, EvidenceStore.SigningKeyFile);
        if (!File.Exists(keyPath))
        {
            Console.Error.WriteLine($"error: no signing key at {keyPath}; the gateway creates it on its first start, and the package's manifest is signed with it.");
            return ExitCodes.BadConfiguration;
        }
        using var signer = EcdsaFileSigner.OpenOrCreate(keyPath, "proctor-ledger");
        await using var checkpointer = new Checkpointer(store, signer, new CheckpointerOptions { Origin = EvidenceStore.OriginOf(signer) }, TimeProvider.System);
        var exporter = EvidenceExports.Exporter(store, signer, checkpointer, settings, TimeProvider.System);
        ExportSummary summary;
        try
        {
            await using (var stream = new FileStream(file.FullName, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                summary = await WithProgressAsync((progress, ct) => exporter.ExportAsync(request, stream, progress, ct), cancellationToken).ConfigureAwait(false);
            }
            await using var ledger = new AuditLedger(store);
            await EvidenceExports.RecordAsync(ledger, ConfiguredLedger.Operator(), request, summary, "cli", TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
        catch (EvidenceExportException ex)
        {
            file.Delete();
            Console.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is OperationCanceledException or Ledger.Storage.LedgerUnavailableException)
        {
            file.Delete();
            Console.Error.WriteLine($"error: the export stopped and {file.Name} was removed: {ex.Message}");
            return ExitCodes.Failure;
        }
        Console.WriteLine($"Exported {summary.EventsIncluded} events ({summary.EventsWithheld} more of the period proven by their hashes), ledger indexes {summary.FirstIndex} to {summary.EndIndex - 1}, signed tree of {summary.TreeSize}.");
        Console.WriteLine($"{file.FullName}: {summary.Bytes} bytes, SHA-256 {summary.Sha256} (recorded in the ledger as evidence.export).");
        Console.WriteLine($"Verify with: proctor evidence verify {file.Name} --key {signer.PublicKey}");
        return ExitCodes.Ok;
    }

    /// <summary>A progress bar on a terminal; nothing when output goes to a file or a pipe.</summary>
    private static Task<ExportSummary> WithProgressAsync(Func<IProgress<ExportProgress>?, CancellationToken, Task<ExportSummary>> export, CancellationToken cancellationToken)
    {
        if (Console.IsOutputRedirected || Console.IsErrorRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return export(null, cancellationToken);
        }
        return AnsiConsole.Progress().AutoClear(true).StartAsync(async context =>
        {
            var task = context.AddTask("events", maxValue: 1);
            var progress = new Progress<ExportProgress>(p =>
            {
                task.MaxValue = Math.Max(1, p.EventsTotal);
                task.Value = p.EventsDone;
            });
            return await export(progress, cancellationToken).ConfigureAwait(false);
        });
    }
}
