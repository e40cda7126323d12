using Proctor.Approvals.Requests;
using Proctor.Approvals.Store;

namespace Proctor.Approvals.Tests.Desk;

/// <summary>The store contract in memory (compare-and-set on the version under a lock), for the desk's tests; SqliteApprovalStoreTests pin the real one.</summary>
internal sealed class MemoryApprovalStore : IApprovalStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ApprovalRequest> _requests = new(StringComparer.Ordinal);

    public int Replaces { get; private set; }

    public Task CreateAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _requests.Add(request.Id, request with { Version = 1 });
        }

        return Task.CompletedTask;
    }

    public Task<ApprovalRequest?> FindAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_requests.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<ApprovalRequest>> FindOpenAsync(CallBinding binding, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ApprovalRequest>>([.. _requests.Values.Where(r => r.Binding == binding && r.State is ApprovalState.Pending or ApprovalState.Approved).OrderByDescending(r => r.Id, StringComparer.Ordinal)]);
        }
    }

    public Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalQuery query, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ApprovalRequest>>([.. _requests.Values.Where(r => query.State is null || r.State == query.State).OrderByDescending(r => r.Id, StringComparer.Ordinal).Take(query.Limit)]);
        }
    }

    public Task<IReadOnlyList<ApprovalRequest>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ApprovalRequest>>([.. _requests.Values.Where(r => r.State is ApprovalState.Pending or ApprovalState.Approved && r.ExpiresAt <= now).OrderBy(r => r.ExpiresAt).Take(limit)]);
        }
    }

    public Task<ApprovalRequest?> ReplaceAsync(ApprovalRequest current, ApprovalRequest next, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Replaces++;
            if (!_requests.TryGetValue(current.Id, out var stored) || stored.Version != current.Version)
            {
                return Task.FromResult<ApprovalRequest?>(null);
            }

            var replaced = next with { Version = current.Version + 1 };
            _requests[current.Id] = replaced;
            return Task.FromResult<ApprovalRequest?>(replaced);
        }
    }
}
