using System.Diagnostics;
using Proctor.Evidence.Reports;
using Proctor.Ledger.Events;
using Xunit.Abstractions;

namespace Proctor.Evidence.Tests.Reports;

/// <summary>
/// An export shows the reports up to 1,000,000 events. What they keep grows with distinct identities, servers,
/// sessions, approvals and grants, never with events: a million events over 200 identities, 10 servers and 2,000
/// sessions, once each has been seen, must leave the live heap where it was and allocate little per event.
/// </summary>
[Collection(nameof(ObserveMemoryTests))]
public sealed class ObserveMemoryTests(ITestOutputHelper output)
{
    private const int Events = 1_000_000;
    private const int Warmup = 200_000;

    /// <summary>Once every identity, session and approval has been seen, further events may not grow the heap by more than this.</summary>
    private const long GrowthBoundBytes = 1024 * 1024;

    // Short-lived only (an enumerator over an event's masked counts): gen0 garbage, never retained.
    private const long AllocatedPerEventBound = 128;

    [Fact]
    public void Observe_AMillionEvents_KeepsAggregatesWithinTheBound()
    {
        var pool = Pool();
        var liveEmpty = LiveHeap();
        var reports = new EvidenceReports(ReportHarness.NoSettings);
        for (var i = 0; i < Warmup; i++)
        {
            reports.Observe(i, pool[i % pool.Count]);
        }

        // Approvals are kept one entry per approval (a vote per approve event), so they are seen once, not cycled.
        foreach (var approval in Approvals())
        {
            reports.Observe(Warmup, approval);
        }

        // Measured from after a warm-up: the building of the pool leaves pooled buffers that the runtime trims later.
        var liveBefore = LiveHeap();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < Events; i++)
        {
            reports.Observe(Warmup + i, pool[i % pool.Count]);
        }

        clock.Stop();
        var allocatedPerEvent = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / Events;
        var liveGrowth = LiveHeap() - liveBefore;
        GC.KeepAlive(reports);
        GC.KeepAlive(pool);
        output.WriteLine($"{Events:N0} events in {clock.Elapsed.TotalSeconds:F1} s; aggregates hold {(liveBefore - liveEmpty) / 1024.0:F0} KiB; live heap then grew {liveGrowth / 1024.0:F0} KiB; {allocatedPerEvent} bytes allocated per event");
        Assert.True(liveGrowth < GrowthBoundBytes, $"live heap grew {liveGrowth:N0} bytes over {Events:N0} events of already-seen identities and sessions; the bound is {GrowthBoundBytes:N0}");
        Assert.True(allocatedPerEvent < AllocatedPerEventBound, $"{allocatedPerEvent} bytes allocated per event; the bound is {AllocatedPerEventBound}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"a million events took {clock.Elapsed}");
    }

    private static List<LedgerEvent> Approvals()
    {
        var events = new GatewayEvents();
        for (var i = 0; i < 200; i++)
        {
            events.Approval(EventKinds.ApprovalRequest, $"ap-{i}", $"user-{i}", $"user-{i}", "server-0", "transfer", "pending", session: $"session-{i}")
                .Approval(EventKinds.ApprovalApprove, $"ap-{i}", "approver", $"user-{i}", "server-0", "transfer", "approved", session: $"session-{i}");
        }

        return events.Events;
    }

    /// <summary>Bytes of live objects after a compacting full collection (free space between objects left out).</summary>
    private static long LiveHeap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        return info.HeapSizeBytes - info.FragmentedBytes;
    }

    /// <summary>18,000 distinct events, in the proportions of a busy day: mostly calls, some refusals.</summary>
    private static List<LedgerEvent> Pool()
    {
        var events = new GatewayEvents();
        var masked = new Dictionary<string, int> { ["ssn"] = 1, ["card"] = 2 };
        for (var i = 0; i < 2_000; i++)
        {
            var subject = $"user-{i % 200}";
            var server = $"server-{i % 10}";
            var session = $"session-{i}";
            for (var call = 0; call < 4; call++)
            {
                events.Call(subject, server, $"tool-{call}", session, masked: masked, amr: ["pwd", "otp"]);
            }

            events.Refused(subject, server, "delete", "policy.tool_not_allowed", session);
        }

        return events.Events;
    }
}

/// <summary>Alone in the process while it measures: other tests' allocations would blur the live heap.</summary>
[CollectionDefinition(nameof(ObserveMemoryTests), DisableParallelization = true)]
public sealed class ObserveMemoryCollection;
