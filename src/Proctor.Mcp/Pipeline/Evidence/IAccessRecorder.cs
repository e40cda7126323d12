namespace Proctor.Mcp.Pipeline.Evidence;

/// <summary>
/// The ledger as the HTTP transport sees it: a caller whose identity was verified but who is refused before
/// any call exists (403 <c>insufficient_scope</c> on <c>/mcp/{server}</c>). Unauthenticated refusals (401) are
/// not recorded: anyone could write them, so they would let strangers grow the ledger at will.
/// Throws <see cref="RecordingFailedException"/> when the ledger cannot commit.
/// </summary>
public interface IAccessRecorder
{
    ValueTask RefusedAsync(AccessRefusal refusal, CancellationToken cancellationToken);
}

/// <param name="Server">The upstream the route addressed, or null for the aggregate endpoint.</param>
public sealed record AccessRefusal(Caller Caller, string? Server, int HttpStatus, string ReasonCode, string Message);
