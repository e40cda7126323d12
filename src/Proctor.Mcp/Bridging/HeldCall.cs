using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Proctor.Mcp.Clients;

namespace Proctor.Mcp.Bridging;

/// <summary>
/// A modern client's call to a session-era upstream that is still running upstream while the client
/// answers an <c>input_required</c> round. It stands in as the call's client channel: server requests
/// from the upstream become events the coordinator turns into input requests.
/// </summary>
internal sealed class HeldCall(IClientChannel client, string subject, string method, string? target) : IClientChannel, IDisposable
{
    private readonly Channel<HeldCallEvent> _events = Channel.CreateBounded<HeldCallEvent>(256);
    private int _nextKey;

    public JsonObject ClientCapabilities { get; } = client.ClientCapabilities;

    public IReadOnlyList<KeyValuePair<string, string>> ParamHeaders { get; } = client.ParamHeaders;

    public string Subject { get; } = subject;

    public string Method { get; } = method;

    public string? Target { get; } = target;

    public CancellationTokenSource Lifetime { get; } = new();

    public ConcurrentDictionary<string, (JsonObject Request, TaskCompletionSource<JsonObject> Answer)> Outstanding { get; } = new(StringComparer.Ordinal);

    public ChannelReader<HeldCallEvent> Events => _events.Reader;

    public ValueTask SendNotificationAsync(JsonObject notification, CancellationToken cancellationToken) =>
        _events.Writer.WriteAsync(new HeldCallEvent(notification, null, null), cancellationToken);

    public async Task<JsonObject> SendRequestAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var key = $"proctor-input-{Interlocked.Increment(ref _nextKey)}";
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        Outstanding[key] = (request, answer);
        await _events.Writer.WriteAsync(new HeldCallEvent(null, key, null), cancellationToken).ConfigureAwait(false);
        using var registration = cancellationToken.Register(() => answer.TrySetCanceled(cancellationToken));
        return await answer.Task.ConfigureAwait(false);
    }

    public void Complete(JsonObject response) => _events.Writer.TryWrite(new HeldCallEvent(null, null, response));

    public void Dispose()
    {
        Lifetime.Cancel();
        Lifetime.Dispose();
    }
}

/// <summary>Exactly one of: a notification to relay, the key of a new input request, or the final response.</summary>
internal readonly record struct HeldCallEvent(JsonObject? Notification, string? InputKey, JsonObject? Final);
