using System.Text.Json.Nodes;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Sessions;

namespace Proctor.Mcp.Clients;

/// <summary>The class of answer a client message got; the transport says it in its own terms (HTTP: the status code).</summary>
public enum ReplyStatus
{
    Ok,

    /// <summary>A notification or response was taken; nothing to say (HTTP 202).</summary>
    Accepted,

    /// <summary>The message or its headers are wrong (HTTP 400).</summary>
    BadRequest,

    /// <summary>Someone else's session (HTTP 403).</summary>
    Forbidden,

    /// <summary>No such session, or a removed method in 2026-07-28 (HTTP 404).</summary>
    NotFound,

    /// <summary>GET or DELETE without a session (HTTP 405, <c>Allow: POST</c>).</summary>
    MethodNotAllowed,

    /// <summary>What a <c>Last-Event-ID</c> asks to replay is no longer held (HTTP 410).</summary>
    Gone,

    /// <summary>A notification could not be recorded, so it had no effect (HTTP 503).</summary>
    Unavailable,

    /// <summary>A notification failed for another reason (HTTP 500).</summary>
    Failed,
}

/// <summary>
/// The outcome of one client message: a JSON-RPC answer with its status class, or nothing more to write because
/// the answer went on the event stream (<see cref="Streamed"/>), or an <c>initialize</c> refused by a session limit,
/// which the transport's admission answers (it owns the limits' metrics and their throttled log).
/// </summary>
public sealed record ClientReply(ReplyStatus Status, JsonObject? Body)
{
    public static readonly ClientReply Streamed = new(ReplyStatus.Ok, null) { IsStreamed = true };

    public static readonly ClientReply Accepted = new(ReplyStatus.Accepted, null);

    /// <summary>The answer went on the event stream (or nowhere, the client having left): the transport ends the response.</summary>
    public bool IsStreamed { get; private init; }

    /// <summary>On a successful <c>initialize</c>: the new session's id (HTTP: the <c>Mcp-Session-Id</c> header).</summary>
    public string? SessionId { get; init; }

    /// <summary>On an <c>initialize</c> refused by a session limit: which one, and who asked.</summary>
    public RefusedOpening? RefusedOpening { get; init; }

    public static ClientReply Json(JsonObject body, ReplyStatus status = ReplyStatus.Ok) => new(status, body);

    public static ClientReply Error(ReplyStatus status, int code, string message, JsonNode? id = null) => new(status, Protocol.JsonRpc.Error(id, code, message));

    /// <summary>
    /// A client notification's outcome: accepted, or the transport's "cannot accept" answer with the JSON-RPC error,
    /// unavailable when the ledger could not record it (it had no effect), failed otherwise.
    /// </summary>
    public static ClientReply ForNotification(JsonObject? refused)
    {
        if (refused is null)
        {
            return Accepted;
        }

        var reason = refused["error"]?["data"]?["reason"]?.GetValue<string>();
        return Json(refused, reason == ReasonCodes.LedgerUnavailable ? ReplyStatus.Unavailable : ReplyStatus.Failed);
    }
}

/// <param name="Id">The <c>initialize</c> request's id, for the error.</param>
public sealed record RefusedOpening(SessionOpening Opening, Caller Caller, JsonNode? Id);
