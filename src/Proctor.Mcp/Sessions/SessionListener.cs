using System.Text.Json;
using Microsoft.Extensions.Logging;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Sessions.Replay;

namespace Proctor.Mcp.Sessions;

/// <summary>
/// Session-era GET streams. Without <c>Last-Event-ID</c>: a new stream carrying the session's messages outside calls
/// (<see cref="ClientSession.Outbound"/>). With one: the stream that id names, on this session only, replayed from
/// after it and then followed live (a call still in flight, or the session's messages again), or, when what the
/// client missed is no longer held, a refusal that says so (Streamable HTTP 2025-11-25, "Resumability and Redelivery").
/// </summary>
internal sealed partial class SessionListener(TimeProvider time, ILogger logger)
{
    /// <summary>Below the 30–60 s idle timeouts common in load balancers and proxies.</summary>
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public async Task<ClientReply> ListenAsync(ClientSession session, string lastEventId, IResponseChannel channel)
    {
        if (lastEventId.Length == 0)
        {
            var stream = session.Streams.Open(standalone: true);
            if (await stream.StartAsync(channel).ConfigureAwait(false))
            {
                await PumpAsync(session, stream, channel).ConfigureAwait(false);
            }

            stream.Leave(channel);
            return ClientReply.Streamed;
        }

        var (lookup, live) = session.Streams.Find(lastEventId);
        var status = live is null ? lookup.Status : await live.ResumeAsync(channel, lastEventId).ConfigureAwait(false);
        if (status != ReplayStatus.Found)
        {
            if (live is { Standalone: true })
            {
                live.Leave(channel); // revived for nothing
            }

            return Refusal(status, lastEventId, session.Streams.Log.Limits);
        }

        Log.Resumed(logger, lastEventId);
        if (live is null)
        {
            // A POST stream whose answer was sent: the replay is all there is.
            if (await channel.TryStartEventsAsync().ConfigureAwait(false))
            {
                foreach (var missed in lookup.Missed)
                {
                    if (!await channel.TryWriteEventAsync(missed).ConfigureAwait(false))
                    {
                        break;
                    }
                }
            }
        }
        else if (live.Standalone)
        {
            await PumpAsync(session, live, channel).ConfigureAwait(false);
            live.Leave(channel);
        }
        else
        {
            await FollowAsync(live, channel).ConfigureAwait(false);
        }

        return ClientReply.Streamed;
    }

    /// <summary>Carries the session's messages outside calls to the stream until its connection ends or another takes it over.</summary>
    private async Task PumpAsync(ClientSession session, ResumableStream stream, IResponseChannel channel)
    {
        var reader = session.Outbound.Reader;
        while (stream.IsAttached(channel))
        {
            using var quiet = new CancellationTokenSource(KeepAlive, time);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(channel.ClientGone, quiet.Token);
            bool more;
            try
            {
                more = await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!channel.ClientGone.IsCancellationRequested)
            {
                await stream.KeepAliveAsync(channel).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!more)
            {
                return; // the session closed
            }

            while (stream.IsAttached(channel) && reader.TryRead(out var message))
            {
                await stream.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Follows a POST's stream whose call is still in flight until its answer was sent or the connection ends.</summary>
    private async Task FollowAsync(ResumableStream stream, IResponseChannel channel)
    {
        while (stream.IsAttached(channel))
        {
            try
            {
                await stream.Released(channel).WaitAsync(KeepAlive, time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await stream.KeepAliveAsync(channel).ConfigureAwait(false);
            }
        }
    }

    private ClientReply Refusal(ReplayStatus status, string lastEventId, SessionReplayLimits limits)
    {
        if (status == ReplayStatus.Gone)
        {
            Log.Gone(logger, lastEventId, limits.MaxEvents, limits.MaxBytes);
            return ClientReply.Error(ReplyStatus.Gone, JsonRpcErrorCodes.InvalidRequest,
                $"Events after Last-Event-ID '{lastEventId}' are no longer held: a session keeps only its newest {limits.MaxEvents} events and {limits.MaxBytes} bytes for replay " +
                "(gateway.maxReplayEventsPerSession, gateway.maxReplayBytesPerSession), and what this stream sent after that id was dropped. " +
                "It cannot be sent again: re-send the request if repeating it is safe (its outcome is in the gateway's audit ledger), or open a new stream with a GET without Last-Event-ID.");
        }

        return ClientReply.Error(ReplyStatus.BadRequest, JsonRpcErrorCodes.InvalidRequest,
            $"Last-Event-ID '{Shown(lastEventId)}' is not an event id this session issued. Send the id of the last event received on one of this session's streams, or open a new stream with a GET without Last-Event-ID.");
    }

    /// <summary>The header as the refusal quotes it: whatever the client sent, but never more than an id's worth of it.</summary>
    private static string Shown(string lastEventId) => lastEventId.Length <= 64 ? lastEventId : string.Concat(lastEventId.AsSpan(0, 64), "…");

    private static partial class Log
    {
        [LoggerMessage(EventId = 2600, Level = LogLevel.Debug, Message = "A client resumed a session stream after event {LastEventId}")]
        public static partial void Resumed(ILogger logger, string lastEventId);

        [LoggerMessage(EventId = 2601, Level = LogLevel.Warning, Message = "A client could not resume a session stream after event {LastEventId}: what followed was dropped from the session's replay log ({MaxEvents} events, {MaxBytes} bytes; gateway.maxReplayEventsPerSession, gateway.maxReplayBytesPerSession)")]
        public static partial void Gone(ILogger logger, string lastEventId, int maxEvents, long maxBytes);
    }
}
