using System.Text.Json;
using Microsoft.Extensions.Logging;
using Proctor.Configuration.Models;
using Proctor.Ledger.Events;

namespace Proctor.Evidence;

/// <summary>What the ledger records when the gateway starts: a new signing key, and the configuration and policy it runs (by hash).</summary>
internal static partial class EvidenceStartup
{
    public const string PublicKeyFile = "ledger-public.key";

    public static async Task RecordAsync(EvidenceStore evidence, GatewayModel model, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var change in evidence.Tightened)
        {
            Log.Tightened(logger, change);
        }

        LogRecovery(evidence.Store, logger);
        if (evidence.WriterCpus is { } cpus)
        {
            if (await evidence.Ledger.WriterPlaced.ConfigureAwait(false))
            {
                Log.WriterPlaced(logger, string.Join(",", cpus), evidence.Store.LogFolderPath);
            }
            else
            {
                Log.WriterNotPlaced(logger, string.Join(",", cpus), evidence.Store.LogFolderPath);
            }
        }
        var folder = Path.GetDirectoryName(model.Storage.Path)!;
        var publicKey = evidence.Signer.PublicKey.ToString();
        await File.WriteAllTextAsync(Path.Combine(folder, PublicKeyFile), publicKey + "\n", cancellationToken).ConfigureAwait(false);
        if (evidence.Signer.Created)
        {
            await AppendAsync(evidence, time, EventKinds.LedgerKey, new { verifier_key = publicKey }, cancellationToken).ConfigureAwait(false);
        }

        await AppendAsync(evidence, time, EventKinds.ConfigLoad, new { hash = model.Hash, upstreams = model.Upstreams.Keys.ToArray() }, cancellationToken).ConfigureAwait(false);
        await PolicyEvents.LoadedAsync(evidence.Ledger, model.Policy, null, "start", time, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Audit ledger at {Path}; checkpoints signed by {PublicKey}", model.Storage.Path, publicKey);
    }

    private static void LogRecovery(Storage.Sqlite.Ledger.SqliteLedgerStore store, ILogger logger)
    {
        if (store.Recovery.MigratedEntries is { } moved)
        {
            Log.Migrated(logger, moved, store.LogFolderPath);
        }
        foreach (var cut in store.Recovery.Cuts)
        {
            Log.TornTailCut(logger, cut.Bytes, cut.Offset, cut.Segment, cut.NextIndex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2450, Level = LogLevel.Warning, Message = "Audit ledger: cleared {Bytes} bytes of an unfinished batch at offset {Offset} of {Segment} (the last stop was not clean); the log continues at index {NextIndex}. No caller was told those records were committed.")]
        public static partial void TornTailCut(ILogger logger, long bytes, long offset, string segment, long nextIndex);

        [LoggerMessage(EventId = 2451, Level = LogLevel.Information, Message = "Audit ledger: moved {Entries} entries of the version-1 database into the log {Folder}; the database now keeps the index, checkpoints and holds.")]
        public static partial void Migrated(ILogger logger, long entries, string folder);

        [LoggerMessage(EventId = 3370, Level = LogLevel.Information, Message = "Audit ledger: its writer runs on CPU {Cpus}, which takes the completion interrupts of the disk holding {Folder}, so a commit's wait for the disk ends on the same CPU (storage.pinLedgerWriter; decision 0063).")]
        public static partial void WriterPlaced(ILogger logger, string cpus, string folder);

        [LoggerMessage(EventId = 3371, Level = LogLevel.Warning, Message = "Audit ledger: the system refused to run its writer on CPU {Cpus}, which takes the completion interrupts of the disk holding {Folder}; the writer runs wherever the scheduler puts it, and commits may wait longer for the disk. Set storage.pinLedgerWriter: false to stop trying (decision 0063).")]
        public static partial void WriterNotPlaced(ILogger logger, string cpus, string folder);
    }

    private static Task AppendAsync(EvidenceStore evidence, TimeProvider time, string kind, object details, CancellationToken cancellationToken) =>
        evidence.Ledger.AppendAsync(new LedgerEvent
        {
            Id = EventIds.New(time),
            Kind = kind,
            Time = time.GetUtcNow(),
            Actor = new EventActor { Subject = "proctor:gateway", AuthMethod = "none" },
            Location = new EventLocation { GatewayNode = Environment.MachineName },
            Details = JsonSerializer.SerializeToElement(details),
        }, cancellationToken);

    private static partial class Log
    {
        [LoggerMessage(EventId = 2260, Level = LogLevel.Warning, Message = "Data folder permissions tightened: {Change}")]
        public static partial void Tightened(ILogger logger, string change);
    }
}
