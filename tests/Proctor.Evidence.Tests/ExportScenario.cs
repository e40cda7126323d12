using Proctor.Ledger.Storage;

namespace Proctor.Evidence.Tests;

/// <summary>
/// The ledger most tests export from: 90 events, checkpoints signed at sizes 7, 15, 40 and 90, and the period of events
/// 20 to 79. The package's chain is then 15 (the one before the period), 40 (inside) and 90 (the covering one).
/// </summary>
internal static class ExportScenario
{
    public static readonly ExportRequest Period = new(EvidenceLedger.Start.AddMinutes(20), EvidenceLedger.Start.AddMinutes(80));

    public static async Task<(EvidenceLedger Ledger, Dictionary<long, StoredCheckpoint> Checkpoints)> CreateAsync()
    {
        var ledger = await EvidenceLedger.CreateAsync();
        var checkpoints = new Dictionary<long, StoredCheckpoint>();
        foreach (var size in new long[] { 7, 15, 20, 40, 90 })
        {
            await ledger.AppendUntilAsync(size);
            if (size != 20)
            {
                checkpoints[size] = (await ledger.CheckpointAsync())!;
            }
        }
        return (ledger, checkpoints);
    }
}
