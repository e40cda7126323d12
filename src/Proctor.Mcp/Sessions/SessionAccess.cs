using Proctor.Mcp.Clients;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;

namespace Proctor.Mcp.Sessions;

/// <summary>
/// Finds the session a message names, for its owner only: a session id is not a credential, so one presented by any
/// other identity is refused, for every use of it (messages, GET streams, resumes, DELETE).
/// </summary>
internal static class SessionAccess
{
    /// <returns>The session, or the reply that refuses: not found (unknown, expired, closed, or another route's), forbidden (another identity's).</returns>
    public static (ClientSession? Session, ClientReply? Refusal) Find(ClientSessionStore sessions, string id, Route route, Caller caller)
    {
        var session = sessions.Find(id);
        if (session is null || session.Route != route)
        {
            return (null, ClientReply.Error(ReplyStatus.NotFound, JsonRpcErrorCodes.InvalidRequest,
                "Session not found: it expired or was closed. Send initialize again to open a new session."));
        }

        if (session.Owner != caller.Key)
        {
            return (null, ClientReply.Error(ReplyStatus.Forbidden, JsonRpcErrorCodes.InvalidRequest,
                "This session belongs to another identity; a session id is not a credential. Open your own session with initialize."));
        }

        return (session, null);
    }
}
