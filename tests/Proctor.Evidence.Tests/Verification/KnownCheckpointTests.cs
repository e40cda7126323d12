using Proctor.Evidence.Verification;

namespace Proctor.Evidence.Tests.Verification;

/// <summary><c>--checkpoint KNOWN</c>: a checkpoint the examiner already holds must be consistent with the package.</summary>
public sealed class KnownCheckpointTests
{
    [Theory]
    [InlineData(15)] // the one before the period, as the previous package's examiner holds it
    [InlineData(40)] // signed inside the period
    [InlineData(90)] // the covering one
    public async Task Verify_KnownCheckpointOfThisLedger_IsConsistent(long size)
    {
        var (ledger, checkpoints) = await ExportScenario.CreateAsync();
        await using var _ = ledger;
        var zip = await ledger.ExportAsync(ExportScenario.Period);

        var verdict = PackageZip.Verify(zip, ledger.Signer.PublicKey, checkpoints[size].Note);

        Assert.Empty(verdict.Problems);
        Assert.Equal(size, verdict.KnownCheckpointSize);
    }

    [Fact]
    public async Task Verify_KnownCheckpointOfAnotherHistorySignedWithTheSameKey_IsInconsistent()
    {
        var (ledger, _) = await ExportScenario.CreateAsync();
        await using var _1 = ledger;
        await using var fork = await EvidenceLedger.CreateAsync("bank.example/proctor-ledger", ledger.KeyPath);
        await fork.AppendUntilAsync(39);
        await fork.AppendUntilAsync(40);
        var forked = (await fork.CheckpointAsync())!;
        Assert.Equal(ledger.Signer.PublicKey.ToString(), fork.Signer.PublicKey.ToString());
        var zip = await ledger.ExportAsync(ExportScenario.Period);

        var verdict = PackageZip.Verify(zip, ledger.Signer.PublicKey, forked.Note);

        Assert.Contains("known.inconsistent", verdict.Problems.Select(p => p.Code));
    }

    [Fact]
    public async Task Verify_KnownCheckpointSignedByAnotherKey_IsNotVerified()
    {
        var (ledger, _) = await ExportScenario.CreateAsync();
        await using var _1 = ledger;
        await using var other = await EvidenceLedger.CreateAsync();
        await other.AppendUntilAsync(40);
        var zip = await ledger.ExportAsync(ExportScenario.Period);

        var verdict = PackageZip.Verify(zip, ledger.Signer.PublicKey, (await other.CheckpointAsync())!.Note);

        Assert.Contains("known.signature", verdict.Problems.Select(p => p.Code));
    }

    [Fact]
    public async Task Verify_KnownCheckpointOlderThanThePackageProves_IsNotVerified_AndSaysWhatToExport()
    {
        var (ledger, checkpoints) = await ExportScenario.CreateAsync();
        await using var _ = ledger;
        var zip = await ledger.ExportAsync(ExportScenario.Period);

        var verdict = PackageZip.Verify(zip, ledger.Signer.PublicKey, checkpoints[7].Note);

        var problem = Assert.Single(verdict.Problems);
        Assert.Equal("known.not_covered", problem.Code);
        Assert.Contains("export a period that starts before", problem.Message);
    }
}
