using System.Collections.Concurrent;
using System.Net;

namespace Proctor.Notifications.Tests.Infrastructure;

/// <summary>A receiver played from a script: each attempt takes the next answer (the last one repeats) and is recorded with its headers and body.</summary>
internal sealed class ScriptedHandler(params Func<CancellationToken, Task<HttpResponseMessage>>[] script) : HttpMessageHandler
{
    private int _next;

    public ConcurrentQueue<Received> Requests { get; } = new();

    public static Func<CancellationToken, Task<HttpResponseMessage>> Status(HttpStatusCode status, Action<HttpResponseMessage>? shape = null) =>
        _ =>
        {
            var response = new HttpResponseMessage(status);
            shape?.Invoke(response);
            return Task.FromResult(response);
        };

    public static Func<CancellationToken, Task<HttpResponseMessage>> Throws(Exception exception) => _ => Task.FromException<HttpResponseMessage>(exception);

    /// <summary>Never answers; ends only when the attempt is cancelled (its timeout).</summary>
    public static Func<CancellationToken, Task<HttpResponseMessage>> Hangs() =>
        async token =>
        {
            await Task.Delay(Timeout.Infinite, token);
            throw new InvalidOperationException("unreachable");
        };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        Requests.Enqueue(new Received(request.RequestUri!, request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase), request.Content.Headers.ContentType?.ToString(), body));
        var step = script[Math.Min(Interlocked.Increment(ref _next) - 1, script.Length - 1)];
        return await step(cancellationToken);
    }

    internal sealed record Received(Uri Url, IReadOnlyDictionary<string, string> Headers, string? ContentType, byte[] Body);
}
