using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Proctor.Configuration;
using Proctor.Configuration.Models;
using Proctor.Evidence;

namespace Proctor.Gateway.Lifecycle;

/// <summary>
/// The ledger's part of the lifecycle. Started first: the configuration the gateway runs is on record before any
/// upstream is spawned, and checkpoints are signed from then on. Stopped last, when nothing can append any more:
/// appends still waiting commit, then one last checkpoint is signed over every event (<see cref="EvidenceStore.DisposeAsync"/>).
/// </summary>
internal sealed partial class EvidenceLifecycle(EvidenceStore evidence, GatewayModel model, TimeProvider time, ILogger<EvidenceLifecycle> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await EvidenceStartup.RecordAsync(evidence, model, time, logger, cancellationToken).ConfigureAwait(false);
        evidence.Checkpointer.Start();
        evidence.Retention?.Start();
    }

    // The final checkpoint is not cancellable by the host's shutdown timeout: without it the last events are
    // covered only by the next start's first checkpoint. Signing it takes milliseconds (docs/PERFORMANCE.md).
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await evidence.DisposeAsync().ConfigureAwait(false);
        Log.Closed(logger);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2405, Level = LogLevel.Information, Message = "Audit ledger closed after a final signed checkpoint over every event")]
        public static partial void Closed(ILogger logger);
    }
}
