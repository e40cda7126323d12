using System.Text.Json.Nodes;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;

namespace Proctor.Mcp.Sessions;

/// <summary>
/// A message within a session-era session, judged first (<see cref="ClientMessages"/>): a refused one is recorded
/// and refused; a response is handed to the call that asked the client; a notification is recorded before it has
/// any effect; a request runs through the dispatcher with the session's way back to the client.
/// </summary>
internal sealed class SessionMessages(McpDispatcher dispatcher, ClientSessionStore sessions, ClientNotificationRelay notifications, ProtocolRefusals refusals)
{
    public async Task<ClientReply> HandleAsync(ClientPost post)
    {
        var (session, refusal) = SessionAccess.Find(sessions, post.Headers.SessionId, post.Route, post.Caller);
        if (session is null)
        {
            return refusal!;
        }

        var message = post.Message;
        var caller = post.Caller with { ClientInfo = session.ClientInfo, ProtocolVersion = session.ProtocolVersion, SessionId = session.Id };
        var verdict = ClientMessages.Judge(message, modern: false);
        switch (verdict.Kind)
        {
            case ClientMessageKind.Refused:
                return await refusals.RefuseAsync(caller, post.Route, ProtocolRefusals.Error(message["id"], verdict, JsonRpc.Method(message))).ConfigureAwait(false);
            case ClientMessageKind.Response:
                // Matched to the server request it answers, it passes that call's message steps (Mask, then Record)
                // before it is sent upstream (PipelineCallSink); one that answers nothing goes nowhere.
                if (message["id"]?.ToString() is { } answered && session.AwaitingClient.TryGetValue(answered, out var waiter))
                {
                    waiter.TrySetResult(message);
                }

                return ClientReply.Accepted;
            case ClientMessageKind.Notification:
                return await NotificationAsync(session, post, caller).ConfigureAwait(false);
            default:
                return await CallAsync(session, post, caller).ConfigureAwait(false);
        }
    }

    private async Task<ClientReply> CallAsync(ClientSession session, ClientPost post, Caller caller)
    {
        var message = post.Message;
        var answer = new SessionAnswerStream(session.Streams, post.Channel);
        var request = new ClientRequest(post.Route, message, caller, new LegacyClientChannel(session, answer), session.Subscriptions);
        var key = message["id"]!.ToJsonString();
        using var call = new CancellationTokenSource();
        // A dropped connection ends the call only while the client holds no event id to resume its stream with;
        // after that, only notifications/cancelled or the session's end do (Streamable HTTP: disconnection is not cancellation).
        using var dropped = post.Channel.ClientGone.Register(() =>
        {
            if (!answer.Resumable)
            {
                call.Cancel();
            }
        });
        using var stopping = post.Channel.Stopping.Register(call.Cancel);
        session.InFlight[key] = call;
        try
        {
            var response = await dispatcher.HandleAsync(request, call.Token).ConfigureAwait(false);
            if (JsonRpc.Method(message) == McpMethods.LoggingSetLevel && !JsonRpc.IsError(response))
            {
                session.LogLevel = JsonRpc.Params(message)?["level"]?.ToString(); // entitles the session to logs outside any call (UnsolicitedRelay)
            }

            return await answer.CompleteAsync(response, CancellationToken.None).ConfigureAwait(false) ? ClientReply.Streamed : ClientReply.Json(response);
        }
        catch (OperationCanceledException) when (call.IsCancellationRequested)
        {
            // Cancelled by notifications/cancelled, by the session's end, or by the client leaving: the spec says send nothing.
            answer.Abandon();
            return answer.Started || post.Channel.ClientGone.IsCancellationRequested ? ClientReply.Streamed : ClientReply.Accepted;
        }
        finally
        {
            session.InFlight.TryRemove(key, out _);
        }
    }

    /// <summary>
    /// Recorded before it has any effect (cancelling a call, being forwarded), except <c>notifications/initialized</c>:
    /// it completes the session's opening, already on record as <c>session.open</c>, and goes no further.
    /// </summary>
    private async Task<ClientReply> NotificationAsync(ClientSession session, ClientPost post, Caller caller)
    {
        var message = post.Message;
        var method = JsonRpc.Method(message);
        if (method == McpMethods.Initialized)
        {
            session.Initialized = true;
            return ClientReply.Accepted;
        }

        var request = new ClientRequest(post.Route, message, caller, new LegacyClientChannel(session, new SessionAnswerStream(session.Streams, post.Channel)), session.Subscriptions);
        if (method != McpMethods.Cancelled)
        {
            return ClientReply.ForNotification(await notifications.ForwardAsync(request, post.Channel.ClientGone).ConfigureAwait(false));
        }

        // Cancellation reaches the upstream through the cancelled call (SessionUpstream sends its own
        // notifications/cancelled with the upstream's id), never as the client's message.
        var refused = await notifications.RecordAsync(request).ConfigureAwait(false);
        if (refused is null && message["params"]?["requestId"]?.ToJsonString() is { } cancelled && session.InFlight.TryGetValue(cancelled, out var inFlight))
        {
            await inFlight.CancelAsync().ConfigureAwait(false);
        }

        return ClientReply.ForNotification(refused);
    }
}
