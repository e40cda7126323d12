using Proctor.Approvals.Evidence;

namespace Proctor.Approvals.Tests.Desk;

/// <summary>Keeps the events it is given; fails like a ledger that cannot commit while <see cref="Failing"/> is set.</summary>
internal sealed class ListRecorder : IApprovalRecorder
{
    private readonly List<ApprovalEvent> _events = [];

    public bool Failing { get; set; }

    public IReadOnlyList<ApprovalEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public Task RecordAsync(ApprovalEvent approvalEvent, CancellationToken cancellationToken)
    {
        if (Failing)
        {
            throw new IOException("the ledger cannot commit");
        }

        lock (_events)
        {
            _events.Add(approvalEvent);
        }

        return Task.CompletedTask;
    }
}
