namespace Proctor.Mcp.Pipeline.Evidence;

/// <summary>
/// The ledger as legacy sessions see it: a session exists only once its opening is durably recorded
/// (<see cref="OpenedAsync"/> throws <see cref="RecordingFailedException"/> otherwise, and the client is
/// refused), and its end is recorded when it is closed or expires.
/// </summary>
public interface ISessionRecorder
{
    ValueTask OpenedAsync(string sessionId, string route, Caller caller, CancellationToken cancellationToken);

    ValueTask ClosedAsync(string sessionId, string reason, CancellationToken cancellationToken);
}
