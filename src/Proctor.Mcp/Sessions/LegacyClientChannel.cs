using System.Text.Json.Nodes;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Sessions;

/// <summary>
/// The way back to a session-era client during one of its POSTs: notifications and server requests go
/// on that POST's SSE stream (related to the request, as the 2025-11-25 transport says); the client's
/// answer to a server request arrives as a separate POST and is matched in <see cref="ClientSession.AwaitingClient"/>.
/// </summary>
internal sealed class LegacyClientChannel(ClientSession session, AnswerStream stream) : IClientChannel
{
    public JsonObject ClientCapabilities => session.Capabilities;

    public ValueTask SendNotificationAsync(JsonObject notification, CancellationToken cancellationToken) =>
        stream.CanStream ? stream.SendAsync(notification, cancellationToken) : ValueTask.CompletedTask;

    public async Task<JsonObject> SendRequestAsync(JsonObject request, CancellationToken cancellationToken)
    {
        if (!stream.CanStream)
        {
            return JsonRpc.Error(null, JsonRpcErrorCodes.InternalError, "The client's Accept header does not allow text/event-stream, so the gateway cannot send it requests.");
        }

        var id = session.NextServerRequestId();
        var outgoing = request.DeepClone().AsObject();
        outgoing["id"] = id;
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.AwaitingClient[id] = answer;
        try
        {
            await stream.SendAsync(outgoing, cancellationToken).ConfigureAwait(false);
            return await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Tell the client the question is withdrawn (the upstream cancelled it, or the call ended). A client whose
            // connection is gone finds the notice in the replay log if it resumes.
            var cancelled = JsonRpc.Notification(McpMethods.Cancelled, new JsonObject { ["requestId"] = id, ["reason"] = "The server withdrew this request." });
            await stream.SendAsync(cancelled, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        finally
        {
            session.AwaitingClient.TryRemove(id, out _);
        }
    }
}
