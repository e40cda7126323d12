using System.CommandLine;
using Proctor.Configuration;
using Proctor.Configuration.Models;
using Proctor.Evidence;
using Proctor.Ledger.Checkpoints;
using Proctor.Storage.Sqlite.Ledger;
using Spectre.Console;

namespace Proctor.Cli;

/// <summary>
/// How the offline verbs (keys, audit, sessions) find the gateway's data: the configuration's
/// <c>storage.path</c>, and nothing else from it, so that an operator or examiner needs no upstream
/// secrets or AWS access to run them.
/// </summary>
internal static class GatewayData
{
    public static Option<FileInfo> ConfigOption() => new("--config", "-c")
    {
        Description = "The gateway's configuration file; its storage.path names the database (default: proctor.yaml in the current folder).",
        DefaultValueFactory = _ => new FileInfo("proctor.yaml"),
    };

    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON instead of text, for scripts." };

    /// <summary>The storage section, or null after printing why it cannot be read.</summary>
    public static StorageSettings? Locate(FileInfo config)
    {
        if (!config.Exists)
        {
            Console.Error.WriteLine($"error: configuration file '{config.FullName}' does not exist; pass the gateway's configuration with --config (its storage.path names the database).");
            return null;
        }

        var (storage, errors) = ConfigurationLoader.LoadStorage(config.FullName, ProcessEnvironment());
        if (storage is null)
        {
            ReportErrors(config, errors);
        }

        return storage;
    }

    /// <summary>The environment, for <c>${env:…}</c> references and <c>PROCTOR__…</c> overrides.</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);

    /// <summary>Every configuration problem, each with its key and the line it is written on, on standard error.</summary>
    public static void ReportErrors(FileInfo config, IReadOnlyList<ConfigurationError> errors)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.MarkupLineInterpolated($"[red]error:[/] {config.FullName} is not a valid Proctor configuration ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}):");
        foreach (var error in errors)
        {
            var line = error.Line is { } number ? $" (line {number})" : "";
            console.MarkupLineInterpolated($"  [yellow]{error.Key}[/]{line}: {error.Message}");
        }
    }

    /// <summary>The ledger database, which must already exist: the offline verbs never create an empty ledger by mistake.</summary>
    public static async Task<SqliteLedgerStore?> OpenLedgerAsync(StorageSettings storage, CancellationToken cancellationToken)
    {
        if (!File.Exists(storage.Path))
        {
            Console.Error.WriteLine($"error: no ledger at {storage.Path}; the gateway creates it on its first start. Check storage.path in the configuration.");
            return null;
        }

        return await SqliteLedgerStore.OpenAsync(storage.Path, storage.LockTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The checkpoint verifier key: <paramref name="given"/> (key text or a file holding it) when the caller
    /// brings a trusted copy, as an examiner should; otherwise the one the gateway wrote beside its database.
    /// </summary>
    public static NoteVerifierKey? VerifierKey(StorageSettings? storage, string? given)
    {
        var text = given;
        if (given is not null && File.Exists(given))
        {
            text = File.ReadAllText(given);
        }
        else if (given is null && storage is not null)
        {
            var path = Path.Combine(Path.GetDirectoryName(storage.Path)!, EvidenceStartup.PublicKeyFile);
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"error: no public key at {path}; pass the ledger's verifier key with --key (text or file).");
                return null;
            }

            text = File.ReadAllText(path);
        }

        try
        {
            return NoteVerifierKey.Parse(text!.Trim());
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine($"error: --key is not a verifier key ({ex.Message}); it looks like proctor-ledger+1a2b3c4d+AgMw…, as in ledger-public.key beside the database.");
            return null;
        }
    }
}
