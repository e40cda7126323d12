using System.Text.Json.Nodes;
using Proctor.Evidence.Package;
using Proctor.Evidence.Verification;
using Proctor.Ledger.Checkpoints;

namespace Proctor.Evidence.Tests.Verification;

/// <summary>
/// Every way of altering an exported package, generated over its files, and the problem the verifier must report for
/// each. "Re-signed" cases are forged by someone who also holds the ledger's key and signs a new manifest: only the
/// deeper checks (events against leaves, leaves against the signed root, the chain) can catch those.
/// </summary>
public sealed class TamperTests : IAsyncLifetime
{
    private static readonly string[] Files = [PackageFiles.Description, PackageFiles.Events, PackageFiles.Leaves, PackageFiles.Tree, PackageFiles.Checkpoints, PackageFiles.VerifierKey];

    private EvidenceLedger _ledger = null!;
    private byte[] _zip = null!;

    public async Task InitializeAsync()
    {
        (_ledger, _) = await ExportScenario.CreateAsync();
        _zip = await _ledger.ExportAsync(ExportScenario.Period with { Identity = "alice" });
    }

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    public static TheoryData<string> FileCases() => [.. Files.Select(f => $"modify {f}"), .. Files.Select(f => $"remove {f}"), $"remove {PackageFiles.Manifest}", "add an extra file", "duplicate a file"];

    [Theory]
    [MemberData(nameof(FileCases))]
    public void Verify_FileAlteredRemovedOrAdded_IsNotVerified(string tamper)
    {
        var package = PackageZip.Open(_zip);
        var (forged, expected) = tamper.Split(' ', 2) switch
        {
            ["modify", var file] => (package.With(file, [.. package.Files.Single(f => f.Path == file).Bytes, (byte)' ']), "file.modified"),
            ["remove", var file] => (package.Without(file), "file.missing"),
            _ when tamper == "add an extra file" => (package.Adding("reports/extra.html", "<p>added later</p>"), "file.extra"),
            _ => (package.Adding(PackageFiles.Events, package.Text(PackageFiles.Events)), "file.extra"),
        };

        AssertCaught(PackageZip.Verify(forged.ToZip(), _ledger.Signer.PublicKey), expected);
    }

    public static TheoryData<string> ResignedCases() =>
    [
        "alter an event", "remove an event", "reorder two events", "add a withheld event's line", "change a withheld leaf",
        "change an included event's leaf", "remove a leaf", "add a leaf", "change a prefix node", "change the consistency proof",
        "swap two checkpoints", "alter a checkpoint", "replace the covering checkpoint", "drop the covering checkpoint from the chain",
        "claim fewer withheld events", "narrow the period",
    ];

    [Theory]
    [MemberData(nameof(ResignedCases))]
    public async Task Verify_ContentForgedAndManifestResigned_IsNotVerified(string tamper)
    {
        var package = PackageZip.Open(_zip);
        var events = package.Lines(PackageFiles.Events);
        var leaves = package.Lines(PackageFiles.Leaves);
        var (forged, expected) = tamper switch
        {
            "alter an event" => (package.WithLines(PackageFiles.Events, events.Select((l, i) => i == 3 ? l.Replace("tools/call", "tools/cal1") : l)), "event.leaf"),
            "remove an event" => (package.WithLines(PackageFiles.Events, events.Where((_, i) => i != 3)), "events.count"),
            "reorder two events" => (package.WithLines(PackageFiles.Events, [events[1], events[0], .. events[2..]]), "event.order"),
            "add a withheld event's line" => (package.WithLines(PackageFiles.Events, [.. events, events[^1].Replace("\"index\":", "\"index\":1")]), "event.order"),
            "change a withheld leaf" => (package.WithLines(PackageFiles.Leaves, leaves.Select((l, i) => i == 1 ? Flip(l) : l)), "tree.root"),
            "change an included event's leaf" => (package.WithLines(PackageFiles.Leaves, leaves.Select((l, i) => i == FirstIncluded(events) ? Flip(l) : l)), "event.leaf"),
            "remove a leaf" => (package.WithLines(PackageFiles.Leaves, leaves[..^1]), "leaves.count"),
            "add a leaf" => (package.WithLines(PackageFiles.Leaves, [.. leaves, leaves[0]]), "leaves.count"),
            "change a prefix node" => (Json(package, PackageFiles.Tree, tree => tree["prefix"]![0] = Convert.ToBase64String(new byte[32])), "tree.root"),
            "change the consistency proof" => (Json(package, PackageFiles.Tree, tree => tree["consistency"]![0] = Convert.ToBase64String(new byte[32])), "tree.root"),
            "swap two checkpoints" => (Json(package, PackageFiles.Checkpoints, c => Swap(c["chain"]!.AsArray(), 0, 1)), "checkpoint.chain"),
            "alter a checkpoint" => (Json(package, PackageFiles.Checkpoints, c => c["chain"]![1]!["note"] = c["chain"]![1]!["note"]!.GetValue<string>().Replace("\n40\n", "\n41\n")), "checkpoint.signature"),
            "replace the covering checkpoint" => (Json(package, PackageFiles.Checkpoints, c => c["covering"] = c["chain"]![1]!["note"]!.GetValue<string>()), "checkpoint.covering"),
            "drop the covering checkpoint from the chain" => (Json(package, PackageFiles.Checkpoints, c => c["chain"]!.AsArray().RemoveAt(2)), "checkpoint.chain"),
            "claim fewer withheld events" => (Json(package, PackageFiles.Description, d => d["events_withheld"] = 1), "events.count"),
            _ => (Json(package, PackageFiles.Description, d => d["first_index"] = 21), "tree.range"),
        };

        AssertCaught(PackageZip.Verify((await forged.ResignedAsync(_ledger.Signer)).ToZip(), _ledger.Signer.PublicKey), expected);
    }

    [Fact]
    public async Task Verify_ManifestSignedByAnotherKey_IsNotVerified_WhenTheKeyIsPinned()
    {
        await using var other = await EvidenceLedger.CreateAsync();
        var forged = await PackageZip.Open(_zip).ResignedAsync(other.Signer);

        AssertCaught(PackageZip.Verify(forged.ToZip(), _ledger.Signer.PublicKey), "manifest.signature");
    }

    [Fact]
    public async Task Verify_PackageResignedWithTheForgersOwnKeyAndKeyFile_IsNotVerified_EvenUnpinned()
    {
        await using var other = await EvidenceLedger.CreateAsync();
        var forged = await PackageZip.Open(_zip).With(PackageFiles.VerifierKey, other.Signer.PublicKey + "\n").ResignedAsync(other.Signer);

        var verdict = PackageZip.Verify(forged.ToZip(), null);

        AssertCaught(verdict, "checkpoint.signature");
        Assert.False(verdict.KeyPinned);
    }

    [Fact]
    public void Verify_UntouchedButUnpinned_IsVerified_AndSaysTheKeyWasNotPinned()
    {
        var verdict = PackageZip.Verify(_zip, null);

        Assert.Empty(verdict.Problems);
        Assert.False(verdict.KeyPinned);
        Assert.Contains("NOT pinned", VerifyCommandLine.Text(verdict));
    }

    [Fact]
    public void Verify_AnyByteOfTheZipFlipped_IsUnreadableOrNotVerified_UnlessNoFileChanged()
    {
        // Every 61st byte of the archive, headers, compressed data and central directory alike. Some bytes are zip
        // bookkeeping no file's content depends on (a local header's time, say): those may still verify, with every
        // file as signed. Anything else is unreadable (exit 2) or not verified (exit 1), never an unexpected exception.
        var original = PackageZip.Open(_zip).Files;
        for (var at = 0; at < _zip.Length; at += 61)
        {
            var damaged = _zip.ToArray();
            damaged[at] ^= 0x5a;
            try
            {
                if (PackageZip.Verify(damaged, _ledger.Signer.PublicKey).Verified)
                {
                    var files = PackageZip.Open(damaged).Files;
                    Assert.True(files.Count == original.Count && files.Zip(original).All(f => f.First.Path == f.Second.Path && f.First.Bytes.SequenceEqual(f.Second.Bytes)), $"flipping byte {at} changed a file and still verified");
                }
            }
            catch (PackageUnreadableException)
            {
            }
        }
    }

    [Fact]
    public void Verify_NotAZip_IsUnreadable()
    {
        Assert.Throws<PackageUnreadableException>(() => PackageZip.Verify("not a zip"u8.ToArray(), null));
    }

    private static void AssertCaught(PackageVerdict verdict, string code)
    {
        Assert.False(verdict.Verified);
        Assert.Contains(code, verdict.Problems.Select(p => p.Code));
    }

    /// <summary>The position in leaves.txt of the first included event.</summary>
    private static long FirstIncluded(string[] events) => Proctor.Ledger.Storage.LedgerEntry.ClaimedIndex(System.Text.Encoding.UTF8.GetBytes(events[0]))!.Value - 20;

    private static string Flip(string hex) => (hex[0] == '0' ? '1' : '0') + hex[1..];

    private static PackageZip Json(PackageZip package, string path, Action<JsonObject> change)
    {
        var json = JsonNode.Parse(package.Text(path))!.AsObject();
        change(json);
        return package.With(path, json.ToJsonString());
    }

    private static void Swap(JsonArray array, int a, int b)
    {
        var (first, second) = (array[a]!.DeepClone(), array[b]!.DeepClone());
        array[a] = second;
        array[b] = first;
    }
}
