using System.Net.Http.Headers;
using System.Text;

namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>One SSE event as a client parses it: its id (or null) and its data (empty for a priming event).</summary>
internal sealed record SseEvent(string? Id, string Data);

/// <summary>Reads an SSE response event by event, so a test can stop reading (and drop the connection) wherever it likes.</summary>
internal sealed class SseReader(HttpResponseMessage response, StreamReader reader) : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public HttpResponseMessage Response => response;

    public static async Task<SseReader> SendAsync(HttpMethod method, Uri endpoint, IDictionary<string, string> headers, string? body = null)
    {
        using var request = new HttpRequestMessage(method, endpoint);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new SseReader(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <returns>The next event, or null when the stream ended.</returns>
    public async Task<SseEvent?> NextAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        string? id = null;
        var data = new StringBuilder();
        var any = false;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (any)
                {
                    return new SseEvent(id, data.ToString());
                }

                continue;
            }

            if (line.StartsWith(':'))
            {
                continue; // a comment: keep-alive
            }

            any = true;
            if (line.StartsWith("id:", StringComparison.Ordinal))
            {
                id = line[3..].TrimStart(' ');
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(line[5..].TrimStart(' '));
            }
        }

        return any ? new SseEvent(id, data.ToString()) : null;
    }

    /// <summary>Every event until the server ends the stream.</summary>
    public async Task<List<SseEvent>> RestAsync(TimeSpan within)
    {
        var events = new List<SseEvent>();
        while (await NextAsync(within) is { } next)
        {
            events.Add(next);
        }

        return events;
    }

    /// <summary>Drops the connection, as a client whose network went away.</summary>
    public ValueTask DisposeAsync()
    {
        reader.Dispose();
        response.Dispose();
        return ValueTask.CompletedTask;
    }
}
