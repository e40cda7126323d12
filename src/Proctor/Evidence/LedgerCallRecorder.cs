using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;

namespace Proctor.Evidence;

/// <summary>
/// The Record stage's port onto the ledger: each <see cref="CallRecord"/> (already masked) becomes one
/// <see cref="LedgerEvent"/>, appended and durably committed before this returns.
/// </summary>
internal sealed class LedgerCallRecorder(AuditLedger ledger, string gatewayNode, TimeProvider time) : ICallRecorder
{
    public async ValueTask RecordAsync(CallRecord record, CancellationToken cancellationToken)
    {
        try
        {
            await ledger.AppendAsync(ToEvent(record), cancellationToken).ConfigureAwait(false);
        }
        catch (LedgerUnavailableException ex)
        {
            throw new RecordingFailedException(ex.Reason, ex);
        }
    }

    private LedgerEvent ToEvent(CallRecord record)
    {
        var caller = record.Caller;
        var parameters = record.Payload?["params"];
        return new LedgerEvent
        {
            Id = EventIds.New(time),
            Kind = KindOf(record.Kind),
            Time = time.GetUtcNow(),
            CallId = record.CallId,
            Actor = ActorOf(caller),
            Location = new EventLocation
            {
                Server = record.Server,
                Transport = "streamable-http",
                ProtocolVersion = caller.ProtocolVersion,
                GatewayNode = gatewayNode,
                SessionId = caller.SessionId,
            },
            Action = new EventAction
            {
                Method = record.Kind is CallRecordKind.Request or CallRecordKind.Response or CallRecordKind.Cancelled ? record.Method : JsonMethod(record.Payload),
                Name = record.Target,
                Arguments = record.Kind == CallRecordKind.Request ? Element(parameters?["arguments"] ?? parameters) : null,
            },
            Outcome = OutcomeOf(record),
            Traffic = new EventTraffic
            {
                LatencyMs = record.Kind == CallRecordKind.Request ? null : Math.Round(record.Elapsed.TotalMilliseconds, 3),
                BytesIn = record.Kind is CallRecordKind.Request or CallRecordKind.ClientAnswer ? record.Bytes : null,
                BytesOut = record.Kind is CallRecordKind.Response or CallRecordKind.Notification or CallRecordKind.ServerRequest ? record.Bytes : null,
                ItemsReturned = record.Items,
                MaskedEntities = record.MaskedCounts.Count == 0 ? null : record.MaskedCounts,
            },
            Details = record.Kind == CallRecordKind.Request ? null : Element(record.Payload),
        };
    }

    public static EventActor ActorOf(Caller caller) => new()
    {
        Subject = caller.Subject,
        Issuer = caller.Issuer,
        Groups = caller.Groups.Count == 0 ? null : caller.Groups,
        AuthMethod = caller.AuthenticationMethod,
        Amr = caller.AuthenticationMethods.Count == 0 ? null : caller.AuthenticationMethods,
        Acr = caller.AuthenticationContext,
        AuthTime = caller.AuthenticatedAt,
        SourceAddress = caller.SourceAddress?.ToString(),
        ClientInfo = Element(caller.ClientInfo),
    };

    private static EventOutcome? OutcomeOf(CallRecord record) => record.Kind switch
    {
        CallRecordKind.Cancelled => new EventOutcome { Status = "cancelled" },
        CallRecordKind.Response when record.Payload?["error"] is JsonObject error => new EventOutcome
        {
            Status = record.ReasonCode is null ? "error" : "refused",
            ErrorCode = int.TryParse(record.ErrorCode, out var code) ? code : null,
            ErrorMessage = error["message"]?.ToString(),
        },
        CallRecordKind.Response => new EventOutcome
        {
            // A tool that fails answers with a result marked isError (MCP), not a JSON-RPC error.
            Status = record.Payload?["result"]?["isError"]?.GetValueKind() == JsonValueKind.True ? "tool_error" : "ok",
            Summary = record.Items is { } items ? $"{items} item(s)" : null,
        },
        _ => null,
    };

    private static string KindOf(CallRecordKind kind) => kind switch
    {
        CallRecordKind.Request => EventKinds.CallRequest,
        CallRecordKind.Response => EventKinds.CallResponse,
        CallRecordKind.Cancelled => EventKinds.CallCancelled,
        _ => EventKinds.CallNotification,
    };

    private static string? JsonMethod(JsonObject? message) => message?["method"]?.GetValue<string>();

    private static JsonElement? Element(JsonNode? node) => node is null ? null : JsonSerializer.SerializeToElement(node);
}
