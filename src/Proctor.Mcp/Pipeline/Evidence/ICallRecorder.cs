namespace Proctor.Mcp.Pipeline.Evidence;

/// <summary>
/// The ledger as the pipeline sees it: <see cref="RecordAsync"/> completes only once the record is
/// durably committed, and throws <see cref="RecordingFailedException"/> when it cannot be.
/// </summary>
public interface ICallRecorder
{
    ValueTask RecordAsync(CallRecord record, CancellationToken cancellationToken);
}

public sealed class RecordingFailedException(string reason, Exception? inner = null) : Exception(reason, inner);
