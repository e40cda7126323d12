namespace Proctor.Mcp.Clients;

/// <summary>
/// The transport's end of one client request's answer (Streamable HTTP: the response to one POST or GET). It frames
/// and writes; what goes on it, in which order and with which ids is decided in this project. Everything written
/// through it is already masked for its reader and on record.
/// </summary>
public interface IResponseChannel
{
    /// <summary>Whether the client accepts an event stream (HTTP: <c>Accept</c> lists <c>text/event-stream</c>).</summary>
    bool AcceptsEvents { get; }

    /// <summary>Signalled when the client's connection ends, whether or not the answer was complete, and when <see cref="Stopping"/> is.</summary>
    CancellationToken ClientGone { get; }

    /// <summary>
    /// Signalled when the transport itself ends the request (the gateway stopping past its drain deadline): unlike a
    /// dropped connection, which a session-era client may resume, this always ends the call.
    /// </summary>
    CancellationToken Stopping { get; }

    /// <summary>Starts the event stream now (status and headers), before any event is ready.</summary>
    /// <returns>False when the client can no longer be written to.</returns>
    ValueTask<bool> TryStartEventsAsync();

    /// <summary>Writes one event, starting the event stream if this is the first; an event with an id and no data primes the client to resume.</summary>
    /// <returns>False when the client can no longer be written to; the event did not reach it.</returns>
    ValueTask<bool> TryWriteEventAsync(StreamEvent streamEvent);

    /// <summary>Keeps an idle event stream open through proxies that close quiet connections (HTTP: an SSE comment).</summary>
    ValueTask<bool> TryKeepAliveAsync();
}

/// <summary>One event of an answer's stream: its id (null on streams that cannot be resumed) and its JSON (empty: a priming event).</summary>
public readonly record struct StreamEvent(string? Id, ReadOnlyMemory<byte> Data);
