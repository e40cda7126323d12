using Microsoft.AspNetCore.Http;
using Proctor.Http.Identity;
using Proctor.Ledger.Storage;

namespace Proctor.Http.Api;

/// <summary>Reads of approvals and grants are audit reads: recorded first (<c>audit.read</c>), and not served when the ledger cannot record them (as the examiner API).</summary>
internal static class AuditedReads
{
    public static async Task ServeAsync(IAuditReadRecorder recorder, HttpContext context, Func<Task> serve)
    {
        try
        {
            var request = context.Request;
            await recorder.RecordReadAsync(context.Caller(), request.Method, request.Path, request.QueryString.HasValue ? request.QueryString.Value : null, context.RequestAborted).ConfigureAwait(false);
        }
        catch (LedgerUnavailableException ex)
        {
            context.Response.Headers.RetryAfter = "5";
            await ApiReplies.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "ledger_unavailable", $"The read could not be recorded in the ledger, so it is not served: {ex.Reason}").ConfigureAwait(false);
            return;
        }

        await serve().ConfigureAwait(false);
    }
}
