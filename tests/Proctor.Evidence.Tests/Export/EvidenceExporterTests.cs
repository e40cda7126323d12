using System.IO.Compression;
using System.Text;
using Proctor.Evidence.Export;
using Proctor.Evidence.Package;
using Proctor.Evidence.Verification;
using Proctor.Ledger.Storage;

namespace Proctor.Evidence.Tests.Export;

public sealed class EvidenceExporterTests
{
    [Fact]
    public async Task Export_Period_HoldsItsEventsAsStoredAndEveryLeaf_AndVerifiesWithThePinnedKey()
    {
        var (ledger, _) = await ExportScenario.CreateAsync();
        await using var _1 = ledger;

        var zip = await ledger.ExportAsync(ExportScenario.Period);

        var package = PackageZip.Open(zip);
        var events = package.Lines(PackageFiles.Events);
        Assert.Equal(60, events.Length);
        Assert.Equal(60, package.Lines(PackageFiles.Leaves).Length);
        var stored = await ledger.Store.ReadEntriesAsync(20, 60, default);
        Assert.Equal(stored.Select(e => Encoding.UTF8.GetString(e.Bytes!)), events);
        Assert.Equal(stored.Select(e => Convert.ToHexStringLower(e.LeafHash)), package.Lines(PackageFiles.Leaves));
        Assert.Equal(ledger.Signer.PublicKey.ToString(), package.Text(PackageFiles.VerifierKey).Trim());

        var verdict = PackageZip.Verify(zip, ledger.Signer.PublicKey);
        Assert.Empty(verdict.Problems);
        Assert.Equal((20L, 80L, 90L, 60L, 0L, 3, true), (verdict.FirstIndex, verdict.EndIndex, verdict.TreeSize, verdict.EventsIncluded, verdict.EventsWithheld, verdict.CheckpointsChecked, verdict.KeyPinned));
    }

    [Fact]
    public async Task Export_ByIdentity_IncludesTheirEventsAndApprovalsAboutThem_AndNoContentOfOthers()
    {
        var (ledger, _) = await ExportScenario.CreateAsync();
        await using var _1 = ledger;

        var zip = await ledger.ExportAsync(ExportScenario.Period with { Identity = "alice" });

        var expected = Enumerable.Range(20, 60).Where(i => i % 5 == 4 || EvidenceLedger.SubjectOf(i) == "alice").ToList();
        var package = PackageZip.Open(zip);
        Assert.Equal(expected.Select(i => (long)i), package.Lines(PackageFiles.Events).Select(l => LedgerEntry.ClaimedIndex(Encoding.UTF8.GetBytes(l))!.Value));
        var everything = string.Concat(package.Files.Select(f => Encoding.UTF8.GetString(f.Bytes)));
        foreach (var withheld in Enumerable.Range(0, 90).Except(expected).Where(i => i % 5 != 4))
        {
            Assert.DoesNotContain(EvidenceLedger.Marker(withheld), everything);
        }
        var verdict = PackageZip.Verify(zip, ledger.Signer.PublicKey);
        Assert.Empty(verdict.Problems);
        Assert.Equal((expected.Count, 60L - expected.Count, "alice"), (verdict.EventsIncluded, verdict.EventsWithheld, verdict.Identity));
    }

    [Fact]
    public async Task Export_ByServer_IncludesOnlyThatServersEvents_AndVerifies()
    {
        var (ledger, _) = await ExportScenario.CreateAsync();
        await using var _1 = ledger;

        var zip = await ledger.ExportAsync(ExportScenario.Period with { Server = "core" });

        var package = PackageZip.Open(zip);
        Assert.Equal(Enumerable.Range(20, 60).Where(i => EvidenceLedger.ServerOf(i) == "core").Select(i => (long)i),
            package.Lines(PackageFiles.Events).Select(l => LedgerEntry.ClaimedIndex(Encoding.UTF8.GetBytes(l))!.Value));
        Assert.Empty(PackageZip.Verify(zip, ledger.Signer.PublicKey).Problems);
    }

    [Fact]
    public async Task Export_NoCheckpointCoversThePeriodYet_SignsOneWhenAllowed_ElseSaysHowToGetOne()
    {
        await using var ledger = await EvidenceLedger.CreateAsync();
        await ledger.AppendUntilAsync(10);
        await ledger.CheckpointAsync();
        await ledger.AppendUntilAsync(30);
        var request = new ExportRequest(EvidenceLedger.Start, EvidenceLedger.Start.AddHours(1));

        var refused = await Assert.ThrowsAsync<EvidenceExportException>(() => ledger.ExportAsync(request));
        Assert.Contains("No signed checkpoint covers the period's last event (index 29)", refused.Message);
        Assert.Contains("proctor serve", refused.Message);

        var zip = await ledger.ExportAsync(request, _ => ledger.CheckpointAsync());
        var verdict = PackageZip.Verify(zip, ledger.Signer.PublicKey);
        Assert.Empty(verdict.Problems);
        Assert.Equal((0L, 30L, 30L), (verdict.FirstIndex, verdict.EndIndex, verdict.TreeSize));
    }

    [Fact]
    public async Task Export_CheckpointsSignedEveryTenMinutes_KeepsTheFirstOfEachHourAndTheCoveringOne()
    {
        await using var ledger = await EvidenceLedger.CreateAsync();
        for (var size = 10; size <= 300; size += 10)
        {
            await ledger.AppendUntilAsync(size);
            await ledger.CheckpointAsync();
        }

        var zip = await ledger.ExportAsync(new ExportRequest(EvidenceLedger.Start, EvidenceLedger.Start.AddHours(5)));

        var chain = System.Text.Json.Nodes.JsonNode.Parse(PackageZip.Open(zip).Text(PackageFiles.Checkpoints))!["chain"]!.AsArray();
        Assert.Equal([10L, 70L, 130L, 190L, 250L, 300L], chain.Select(c => Proctor.Ledger.Checkpoints.Checkpoint.Parse(Proctor.Ledger.Checkpoints.SignedNote.TextOf((string)c!["note"]!)!).TreeSize));
        var verdict = PackageZip.Verify(zip, ledger.Signer.PublicKey);
        Assert.Empty(verdict.Problems);
        Assert.Equal(6, verdict.CheckpointsChecked);
    }

    [Fact]
    public async Task Export_EmptyPeriod_ProvesNothingIsMissing_AndVerifies()
    {
        var (ledger, _) = await ExportScenario.CreateAsync();
        await using var _1 = ledger;

        var zip = await ledger.ExportAsync(new ExportRequest(EvidenceLedger.Start.AddDays(3), EvidenceLedger.Start.AddDays(4)));

        var verdict = PackageZip.Verify(zip, ledger.Signer.PublicKey);
        Assert.Empty(verdict.Problems);
        Assert.Equal((90L, 90L, 0L), (verdict.FirstIndex, verdict.EndIndex, verdict.EventsIncluded));
    }

    [Fact]
    public async Task Export_ToAStreamThatCannotSeek_WritesAPackageThatVerifies()
    {
        var (ledger, _) = await ExportScenario.CreateAsync();
        await using var _1 = ledger;
        var exporter = new EvidenceExporter(ledger.Store, ledger.Signer, new EvidenceExporterOptions { Time = ledger.Time });
        using var buffer = new MemoryStream();
        await using var forwardOnly = new ForwardOnlyStream(buffer);

        var summary = await exporter.ExportAsync(ExportScenario.Period, forwardOnly, null, default);

        Assert.Equal(buffer.Length, summary.Bytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(buffer.ToArray())), summary.Sha256);
        Assert.Empty(PackageZip.Verify(buffer.ToArray(), ledger.Signer.PublicKey).Problems);
    }

    /// <summary>Like an HTTP response body: write-only, no seeking, no length.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
