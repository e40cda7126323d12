using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;

namespace Proctor.Mcp.Clients;

/// <summary>
/// Client messages refused before they could become calls (not JSON-RPC, a bad id, a request method
/// without an id, a notification the client may not send) are evidence like refused calls: the error the
/// client receives, masked for no audience, is recorded as <c>call.refused</c> (never the message itself,
/// which was never masked). If the ledger cannot take it, the client is refused all the same and the log says so.
/// </summary>
public sealed partial class ProtocolRefusals(IPayloadMasker masker, IMessageRecorder recorder, ILogger<ProtocolRefusals> logger)
{
    /// <summary>The JSON-RPC error for a refused message; <c>data</c> names the reason and, when there is one, the method.</summary>
    public static JsonObject Error(JsonNode? id, ClientMessageVerdict verdict, string? method)
    {
        var data = new JsonObject { ["reason"] = verdict.ReasonCode };
        if (method is not null)
        {
            data["method"] = method;
        }

        return JsonRpc.Error(JsonRpc.IsValidId(id) ? id : null, JsonRpcErrorCodes.InvalidRequest, $"Invalid Request: {verdict.Problem}", data);
    }

    /// <summary>A version a refused message claims, as the ledger may store it: one the gateway knows, never caller-chosen text.</summary>
    public static string KnownVersion(string? claimed) => Array.IndexOf(ProtocolVersions.All, claimed) >= 0 ? claimed! : "unknown";

    /// <summary>Records the refusal (the client is refused whether or not the ledger takes it), then answers it as a bad request.</summary>
    public async Task<ClientReply> RefuseAsync(Caller caller, Route route, JsonObject error)
    {
        await RecordAsync(caller, route, error).ConfigureAwait(false);
        return ClientReply.Json(error, ReplyStatus.BadRequest);
    }

    /// <summary>Records <paramref name="error"/> (carrying its reason in <c>error.data.reason</c>) before the client receives it.</summary>
    public async Task RecordAsync(Caller caller, Route route, JsonObject error)
    {
        var reason = error["error"]?["data"]?["reason"]?.GetValue<string>() ?? ReasonCodes.InvalidMessage;
        Log.Refused(logger, route.ToString(), reason);
        try
        {
            var masked = masker.Mask(error, new MaskingScope(route.Server, null), revealTo: null);
            // Not cancellable: the client may leave, the refusal it was given stays on record.
            await recorder.MessageRefusedAsync(new MessageRefusal(caller, route.Server, masked), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RecordingFailedException or MaskingFailedException)
        {
            Log.NotRecorded(logger, route.ToString(), reason, ex.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2110, Level = LogLevel.Information, Message = "Client message on {Route} refused ({Reason}); it was not forwarded")]
        public static partial void Refused(ILogger logger, string route, string reason);

        [LoggerMessage(EventId = 2111, Level = LogLevel.Error, Message = "Refusal of a client message on {Route} ({Reason}) could not be recorded in the audit ledger: {Failure}")]
        public static partial void NotRecorded(ILogger logger, string route, string reason, string failure);
    }
}
