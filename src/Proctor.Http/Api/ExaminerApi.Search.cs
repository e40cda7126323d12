using Microsoft.AspNetCore.Http;
using Proctor.Ledger.Examination;

namespace Proctor.Http.Api;

internal sealed partial class ExaminerApi
{
    /// <summary><c>GET /api/audit/events</c>: the audit search over single events, a page at a time (decision 0054).</summary>
    public Task SearchEventsAsync(HttpContext context) => ServeAsync(context, async () =>
    {
        var (search, problem) = EventSearchFilter.Parse(context.Request.Query);
        if (search is null)
        {
            await ApiReplies.ErrorAsync(context, StatusCodes.Status400BadRequest, "bad_filter", problem!).ConfigureAwait(false);
            return;
        }

        var page = await sources.Events.SearchEventsAsync(search, context.RequestAborted).ConfigureAwait(false);
        await ApiReplies.JsonAsync(context, EventSearchJson.Page(page)).ConfigureAwait(false);
    });
}
