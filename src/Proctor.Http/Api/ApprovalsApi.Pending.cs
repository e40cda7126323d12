using Proctor.Approvals.Store;
using Proctor.Approvals.Requests;
using Proctor.Approvals.Rules;

namespace Proctor.Http.Api;

internal sealed partial class ApprovalsApi
{
    /// <summary>
    /// The ids of the requests pending now, as <see cref="ListAsync"/> with <c>state=pending</c> lists them, and nothing
    /// else about them. Not recorded: it tells a poller only whether to fetch the list, and that fetch is recorded.
    /// </summary>
    public async Task<IReadOnlyList<string>> PendingIdsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var requests = await desk.ListAsync(new ApprovalQuery(ApprovalState.Pending, PendingPage), cancellationToken).ConfigureAwait(false);
        return [.. requests.Where(r => ApprovalRules.StateAt(r, now) == ApprovalState.Pending).Select(r => r.Id)];
    }

    /// <summary>How many pending requests the console's inbox shows, and so how many its poll watches.</summary>
    public const int PendingPage = 100;
}
