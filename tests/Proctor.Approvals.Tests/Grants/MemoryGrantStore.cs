using Proctor.Approvals.Grants;

namespace Proctor.Approvals.Tests.Grants;

/// <summary>A store in memory with the same compare-and-set contract as the SQLite one (one lock, version checked).</summary>
internal sealed class MemoryGrantStore : IGrantStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, AccessGrant> _grants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccessReview> _reviews = new(StringComparer.Ordinal);

    public Task CreateAsync(AccessGrant grant, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _grants.Add(grant.Id, grant with { Version = 1 });
        }

        return Task.CompletedTask;
    }

    public Task<AccessGrant?> FindAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_grants.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<AccessGrant>> ListAsync(GrantQuery query, CancellationToken cancellationToken) => Select(g => (query.State is null || g.State == query.State) && (query.Identity is null || g.Identity == query.Identity));

    public Task<IReadOnlyList<AccessGrant>> ActiveAsync(DateTimeOffset now, CancellationToken cancellationToken) => Select(g => g.State == GrantState.Active && g.ExpiresAt > now);

    public Task<IReadOnlyList<AccessGrant>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        Select(g => (g.State == GrantState.Pending && g.DecideBy <= now) || (g.State == GrantState.Active && g.ExpiresAt <= now));

    public Task<AccessGrant?> ReplaceAsync(AccessGrant current, AccessGrant next, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_grants[current.Id].Version != current.Version)
            {
                return Task.FromResult<AccessGrant?>(null);
            }

            var stored = next with { Version = current.Version + 1 };
            _grants[current.Id] = stored;
            return Task.FromResult<AccessGrant?>(stored);
        }
    }

    public Task CreateReviewAsync(AccessReview review, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _reviews.Add(review.Id, review with { Version = 1 });
        }

        return Task.CompletedTask;
    }

    public Task<AccessReview?> FindReviewAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_reviews.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<AccessReview>> ListReviewsAsync(bool openOnly, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<AccessReview>>([.. _reviews.Values.Where(r => !openOnly || r.IsOpen)]);
        }
    }

    public Task<int> CountOpenReviewsAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_reviews.Values.Count(r => r.IsOpen));
        }
    }

    public Task<AccessReview?> ReplaceReviewAsync(AccessReview current, AccessReview next, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_reviews[current.Id].Version != current.Version)
            {
                return Task.FromResult<AccessReview?>(null);
            }

            var stored = next with { Version = current.Version + 1 };
            _reviews[current.Id] = stored;
            return Task.FromResult<AccessReview?>(stored);
        }
    }

    private Task<IReadOnlyList<AccessGrant>> Select(Func<AccessGrant, bool> wanted)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<AccessGrant>>([.. _grants.Values.Where(wanted)]);
        }
    }
}

/// <summary>Keeps the events it is given; fails like a ledger that cannot commit while <see cref="Failing"/> is set.</summary>
internal sealed class GrantEventList : IGrantRecorder
{
    private readonly List<GrantEvent> _events = [];

    public bool Failing { get; set; }

    public IReadOnlyList<GrantEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public Task RecordAsync(GrantEvent grantEvent, CancellationToken cancellationToken)
    {
        if (Failing)
        {
            throw new IOException("the ledger cannot commit");
        }

        lock (_events)
        {
            _events.Add(grantEvent);
        }

        return Task.CompletedTask;
    }
}
