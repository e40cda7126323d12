using System.Runtime.InteropServices;

namespace Proctor.Ledger.Appending;

/// <summary>
/// Keeps the calling thread on a set of CPUs (Linux <c>sched_setaffinity</c>; .NET sets affinity for whole processes
/// only). The ledger's writer uses it to wait for <c>fdatasync</c> on the CPU that takes the disk's completion
/// interrupt, so the wake-up after each commit is local (decision 0063); <c>proctor audit disk-check</c> measures there.
/// </summary>
public static partial class WriterPlacement
{
    // cpu_set_t of glibc: 1,024 bits.
    private const int MaskWords = 16;

    /// <summary>True if the calling thread now runs only on <paramref name="cpus"/>; false (and nothing changed) otherwise.</summary>
    public static bool TryPinCurrentThread(IReadOnlyList<int> cpus)
    {
        if (!OperatingSystem.IsLinux() || cpus.Count == 0 || cpus.Any(cpu => cpu is < 0 or >= MaskWords * 64))
        {
            return false;
        }

        Span<ulong> mask = stackalloc ulong[MaskWords];
        mask.Clear();
        foreach (var cpu in cpus)
        {
            mask[cpu / 64] |= 1UL << (cpu % 64);
        }

        unsafe
        {
            fixed (ulong* bits = mask)
            {
                // Thread id 0: the calling thread.
                return SetAffinity(0, (nuint)(MaskWords * sizeof(ulong)), bits) == 0;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "sched_setaffinity")]
    private static unsafe partial int SetAffinity(int threadId, nuint maskBytes, ulong* mask);
}
