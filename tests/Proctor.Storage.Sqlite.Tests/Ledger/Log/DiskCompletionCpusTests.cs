using Proctor.Storage.Sqlite.Ledger.Log;

namespace Proctor.Storage.Sqlite.Tests.Ledger.Log;

/// <summary>
/// Where the ledger disk's completions arrive (decision 0063), read from a /proc and /sys built here in the shapes
/// Linux writes them: a virtio disk with one queue and a partition, a disk with a queue per CPU, a tmpfs, and files
/// missing or garbled, which must give no answer rather than a wrong one.
/// </summary>
public sealed class DiskCompletionCpusTests : IDisposable
{
    private const string Pci = "devices/pci0000:00/0000:00:02.0";
    private readonly string _root = Directory.CreateTempSubdirectory("proctor-cpus-").FullName;

    private string Proc => Path.Combine(_root, "proc");

    private string Sys => Path.Combine(_root, "sys");

    public DiskCompletionCpusTests()
    {
        // The virtio disk vda (254:0) with its partition vda1 (254:1); its PCI function has the config and queue interrupts.
        Directory.CreateDirectory(Path.Combine(Sys, Pci, "virtio1", "block", "vda", "vda1"));
        File.WriteAllText(Path.Combine(Sys, Pci, "virtio1", "block", "vda", "vda1", "partition"), "1\n");
        Directory.CreateSymbolicLink(Path.Combine(Sys, Pci, "virtio1", "block", "vda", "device"), "../../../virtio1");
        MsiInterrupts(35, 36);
        Directory.CreateDirectory(Path.Combine(Sys, "dev", "block"));
        Directory.CreateSymbolicLink(Path.Combine(Sys, "dev", "block", "254:0"), $"../../{Pci}/virtio1/block/vda");
        Directory.CreateSymbolicLink(Path.Combine(Sys, "dev", "block", "254:1"), $"../../{Pci}/virtio1/block/vda/vda1");

        Directory.CreateDirectory(Path.Combine(Proc, "self"));
        MountInfo(
            "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw",
            "25 22 0:30 / /tmp rw,nosuid shared:5 - tmpfs tmpfs rw",
            "27 22 254:0 / /srv/my\\040data rw,relatime shared:7 - ext4 /dev/vda rw",
            "28 22 0:31 / /srv/data2 rw shared:8 - tmpfs tmpfs rw",
            "29 22 0:32 / /srv rw shared:9 - tmpfs tmpfs rw");
        Interrupts(("35", [1, 0, 0, 0], "virtio1-config"), ("36", [0, 0, 25_525_250, 0], "virtio1-req.0"), ("40", [9_000_000, 0, 0, 0], "eth0"));
        Allowed("0-3");
    }

    public static TheoryData<string, int[]?> Folders => new()
    {
        // A partition's disk is the whole disk's: its interrupts are the PCI function's.
        { "/var/lib/proctor/proctor-data/proctor.ledger", [2] },
        { "/", [2] },
        // The mount with the longest point holds the folder, its escaped space read back.
        { "/srv/my data/proctor.ledger", [2] },
        // A tmpfs has no block device.
        { "/tmp/proctor-data", null },
        { "/srv/data2/proctor.ledger", null },
        { "/srv/proctor.ledger", null },
    };

    [Theory]
    [MemberData(nameof(Folders))]
    public void Find_TheDiskHoldingTheFolder_GivesTheCpusTakingItsInterrupts(string folder, int[]? expected)
    {
        Assert.Equal(expected, DiskCompletionCpus.Find(folder, Proc, Sys));
    }

    [Fact]
    public void Find_InterruptsSpreadOverEveryCpu_GivesNoPlacement()
    {
        // A queue per CPU, as NVMe disks have: completions already arrive where they were asked for.
        MsiInterrupts(37, 38, 39);
        Interrupts(("35", [1, 0, 0, 0], "config"), ("36", [0, 0, 900_000, 2_000], "q0"), ("37", [800_000, 0, 0, 0], "q1"), ("38", [0, 700_000, 0, 0], "q2"), ("39", [0, 0, 0, 650_000], "q3"));

        Assert.Null(DiskCompletionCpus.Find("/var/lib/proctor", Proc, Sys));
    }

    [Fact]
    public void Find_InterruptsOnTwoOfFourCpus_GivesThoseTwo()
    {
        MsiInterrupts(37);
        Interrupts(("35", [5, 0, 0, 0], "config"), ("36", [0, 600_000, 0, 0], "q0"), ("37", [0, 0, 0, 500_000], "q1"));

        Assert.Equal([1, 3], DiskCompletionCpus.Find("/var/lib/proctor", Proc, Sys));
    }

    [Theory]
    [InlineData("0-3", new[] { 2 })]
    [InlineData("0,2", new[] { 2 })]
    [InlineData("1-2", new[] { 2 })]
    // Already only where the completions arrive, or kept off that CPU by the operator: nothing to place.
    [InlineData("2", null)]
    [InlineData("0-1,3", null)]
    public void Find_TheCpusThisProcessMayUse_BoundTheAnswer(string allowed, int[]? expected)
    {
        Allowed(allowed);

        Assert.Equal(expected, DiskCompletionCpus.Find("/var/lib/proctor", Proc, Sys));
    }

    [Fact]
    public void Find_TooFewInterruptsToTell_GivesNoPlacement()
    {
        Interrupts(("35", [1, 0, 0, 0], "config"), ("36", [0, 0, 998, 0], "req"));

        Assert.Null(DiskCompletionCpus.Find("/var/lib/proctor", Proc, Sys));
    }

    public static TheoryData<string> Damage =>
        ["mountinfo", "interrupts", "msi_irqs", "dev-link", "device-link", "garbled-interrupts", "garbled-header", "garbled-status", "reversed-range", "link-loop"];

    [Theory]
    [MemberData(nameof(Damage))]
    public void Find_AFileMissingOrGarbled_GivesNoPlacementAndNoException(string damage)
    {
        switch (damage)
        {
            case "mountinfo": File.Delete(Path.Combine(Proc, "self", "mountinfo")); break;
            case "interrupts": File.Delete(Path.Combine(Proc, "interrupts")); break;
            case "msi_irqs": Directory.Delete(Path.Combine(Sys, Pci, "msi_irqs"), recursive: true); break;
            case "dev-link": File.Delete(Path.Combine(Sys, "dev", "block", "254:1")); break;
            case "device-link": File.Delete(Path.Combine(Sys, Pci, "virtio1", "block", "vda", "device")); break;
            case "garbled-interrupts": File.WriteAllText(Path.Combine(Proc, "interrupts"), "           CPU0       CPU1       CPU2       CPU3\n 36:   x   y   z   w   req\n"); break;
            case "garbled-header": File.WriteAllText(Path.Combine(Proc, "interrupts"), "  X  CPU1\n 36:   5000   5000   req\n"); break;
            case "garbled-status": Allowed("two-three"); break;
            case "reversed-range": Allowed("3-1"); break;
            case "link-loop":
                File.Delete(Path.Combine(Sys, "dev", "block", "254:1"));
                Directory.CreateSymbolicLink(Path.Combine(Sys, "dev", "block", "254:1"), "254:1");
                break;
        }

        Assert.Null(DiskCompletionCpus.Find("/var/lib/proctor", Proc, Sys));
    }

    [Fact]
    public void Find_OnThisMachine_NamesSomeOfTheCpusThisProcessMayUseOrNothing()
    {
        var allowed = DiskCompletionCpus.AllowedCpus(File.ReadLines("/proc/self/status"))!;

        var found = DiskCompletionCpus.Find(AppContext.BaseDirectory);

        Assert.True(found is null || (found.Count > 0 && found.Count < allowed.Count && found.All(allowed.Contains)), $"found {string.Join(",", found ?? [])} of {string.Join(",", allowed)}");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void MsiInterrupts(params int[] irqs)
    {
        Directory.CreateDirectory(Path.Combine(Sys, Pci, "msi_irqs"));
        foreach (var irq in irqs)
        {
            File.WriteAllText(Path.Combine(Sys, Pci, "msi_irqs", irq.ToString(System.Globalization.CultureInfo.InvariantCulture)), "msix\n");
        }
    }

    private void MountInfo(params string[] lines) => File.WriteAllLines(Path.Combine(Proc, "self", "mountinfo"), lines);

    private void Allowed(string list) =>
        File.WriteAllLines(Path.Combine(Proc, "self", "status"), ["Name:\tproctor", $"Cpus_allowed:\tf", $"Cpus_allowed_list:\t{list}", "Mems_allowed_list:\t0"]);

    private void Interrupts(params (string Irq, long[] Counts, string Name)[] lines) =>
        File.WriteAllLines(Path.Combine(Proc, "interrupts"),
        [
            "           CPU0       CPU1       CPU2       CPU3",
            .. lines.Select(line => $" {line.Irq}:{string.Concat(line.Counts.Select(count => $" {count,10}"))}  PCI-MSIX-0000:00:02.0   1-edge      {line.Name}"),
            "NMI:          0          0          0          0   Non-maskable interrupts",
        ]);
}
