using System.Collections.Concurrent;
using Proctor.Mcp.Pipeline.Evidence;

namespace Proctor.Mcp.Tests.Pipeline;

/// <summary>A ledger for messages outside calls that keeps what it commits, in order; <see cref="Before"/> runs first and may fail the commit.</summary>
internal sealed class RecordingMessageRecorder : IMessageRecorder
{
    public ConcurrentQueue<ClientNotificationRecord> ClientNotifications { get; } = new();

    public ConcurrentQueue<UpstreamNotificationRecord> UpstreamNotifications { get; } = new();

    public ConcurrentQueue<MessageRefusal> Refusals { get; } = new();

    /// <summary>Runs before each commit with the record; throw <see cref="RecordingFailedException"/> to fail it.</summary>
    public Action<object>? Before { get; set; }

    public ValueTask ClientNotificationAsync(ClientNotificationRecord record, CancellationToken cancellationToken)
    {
        Before?.Invoke(record);
        ClientNotifications.Enqueue(record);
        return ValueTask.CompletedTask;
    }

    public ValueTask UpstreamNotificationAsync(UpstreamNotificationRecord record, CancellationToken cancellationToken)
    {
        Before?.Invoke(record);
        UpstreamNotifications.Enqueue(record);
        return ValueTask.CompletedTask;
    }

    public ValueTask MessageRefusedAsync(MessageRefusal refusal, CancellationToken cancellationToken)
    {
        Before?.Invoke(refusal);
        Refusals.Enqueue(refusal);
        return ValueTask.CompletedTask;
    }
}
