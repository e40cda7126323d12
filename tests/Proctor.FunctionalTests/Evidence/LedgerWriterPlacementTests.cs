using Proctor.Configuration.Models;
using Proctor.Evidence;
using Proctor.Masking.Policy;
using Proctor.Storage.Sqlite.Ledger.Log;

namespace Proctor.FunctionalTests.Evidence;

/// <summary>
/// <c>storage.pinLedgerWriter</c> as the gateway wires it (decision 0063): on, the ledger's writer goes where the disk
/// holding the log takes its interrupts (nowhere in particular when that is every CPU); off, nowhere in particular.
/// </summary>
public sealed class LedgerWriterPlacementTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("proctor-placement-");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OpenAsync_PinLedgerWriter_PlacesTheWriterWhereTheLogsDiskTakesItsInterruptsOrNowhere(bool pin)
    {
        var storage = new StorageSettings(Path.Combine(_folder.FullName, "data", "proctor.db")) { PinLedgerWriter = pin };
        await using var evidence = await EvidenceStore.OpenAsync(storage, new MaskingPolicy(), TimeProvider.System, _ => { }, _ => { }, CancellationToken.None);

        Assert.Equal(pin ? DiskCompletionCpus.Find(evidence.Store.LogFolderPath) : null, evidence.WriterCpus);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
