using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;

namespace Proctor.Evidence;

/// <summary>
/// The pipeline's and the sessions' port onto the ledger: each <see cref="CallRecord"/> (already
/// masked) and each session opening and closing becomes one <see cref="LedgerEvent"/>, durably
/// committed before this returns. Sizes, items and outcomes are read off the one serialization of
/// the masked message that the event stores. The caller's <c>clientInfo</c> (whatever the client says
/// about itself at <c>initialize</c> or in a request's <c>_meta</c>) is stored in every event's actor, so
/// it is masked here, once per clientInfo object, through the same engine as payloads (decision 0013).
/// </summary>
internal sealed partial class LedgerRecorder(AuditLedger ledger, string gatewayNode, TimeProvider time, IPayloadMasker masker) : ICallRecorder, ISessionRecorder
{
    private static readonly string[] ItemArrays = ["content", "contents", "messages", "tools", "resources", "resourceTemplates", "prompts"];

    /// <summary>clientInfo belongs to no upstream: only gateway-wide masking rules apply to it.</summary>
    private static readonly MaskingScope GatewayScope = new("", null);

    private readonly ConditionalWeakTable<JsonObject, StrongBox<JsonElement?>> _clientInfos = new();

    private readonly ConcurrentDictionary<string, (Caller Caller, string Route, DateTimeOffset Opened)> _open = new(StringComparer.Ordinal);

    public ValueTask RecordAsync(CallRecord record, CancellationToken cancellationToken)
    {
        // The masker's own bytes when it wrote them (streaming masking): the payload is serialized once, by the masker.
        ReadOnlyMemory<byte> utf8 = record.Masked is null ? default : record.PayloadUtf8 ?? JsonSerializer.SerializeToUtf8Bytes(record.Payload);
        // Read in place, not copied: the ledger takes the event's canonical bytes before AppendAsync returns, so the
        // document's pooled buffers go back as soon as it has.
        using var message = record.Masked is null ? null : JsonDocument.Parse(utf8);
        return AppendAsync(CallEvent(record, utf8.Length, message?.RootElement), cancellationToken);
    }

    public async ValueTask OpenedAsync(string sessionId, string route, Caller caller, CancellationToken cancellationToken)
    {
        await AppendAsync(SessionEvent(EventKinds.SessionOpen, sessionId, route, caller, new { route }), cancellationToken).ConfigureAwait(false);
        _open[sessionId] = (caller, route, time.GetUtcNow());
    }

    public async ValueTask ClosedAsync(string sessionId, string reason, CancellationToken cancellationToken)
    {
        if (!_open.TryRemove(sessionId, out var session))
        {
            return; // opened before this gateway process started, or its opening was refused
        }

        var duration = Math.Round((time.GetUtcNow() - session.Opened).TotalSeconds, 3);
        await AppendAsync(SessionEvent(EventKinds.SessionClose, sessionId, session.Route, session.Caller, new { route = session.Route, reason, duration_seconds = duration }), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask AppendAsync(LedgerEvent ledgerEvent, CancellationToken cancellationToken)
    {
        try
        {
            await ledger.AppendAsync(ledgerEvent, cancellationToken).ConfigureAwait(false);
        }
        catch (LedgerUnavailableException ex)
        {
            throw new RecordingFailedException(ex.Reason, ex);
        }
    }

    private LedgerEvent CallEvent(CallRecord record, int bytes, JsonElement? message)
    {
        var isRequest = record.Kind == CallRecordKind.Request;
        return new LedgerEvent
        {
            Id = EventIds.New(time),
            Kind = KindOf(record.Kind),
            Time = time.GetUtcNow(),
            CallId = record.CallId,
            Actor = Actor(record.Caller),
            Location = LocationOf(record.Server, record.Caller, record.Caller.SessionId),
            Action = new EventAction
            {
                Method = record.Kind is CallRecordKind.Request or CallRecordKind.Response or CallRecordKind.Cancelled or CallRecordKind.Refused ? record.Method : Member(message, "method")?.GetString(),
                Name = record.Target,
                Arguments = isRequest ? ArgumentsOf(message) : null,
            },
            Outcome = record.Kind switch
            {
                CallRecordKind.Cancelled => new EventOutcome { Status = "cancelled" },
                CallRecordKind.Response or CallRecordKind.Refused => OutcomeOf(message!.Value),
                _ => null,
            },
            Decision = record.Kind == CallRecordKind.Refused ? RefusalOf(message!.Value, record.Decision, record.RefusalReason) : DecisionOf(record.Decision),
            Traffic = new EventTraffic
            {
                LatencyMs = isRequest ? null : Math.Round(record.Elapsed.TotalMilliseconds, 3),
                BytesIn = record.Kind is CallRecordKind.Request or CallRecordKind.ClientAnswer ? bytes : null,
                BytesOut = record.Kind is CallRecordKind.Response or CallRecordKind.Notification or CallRecordKind.ServerRequest ? bytes : null,
                ItemsReturned = record.Kind == CallRecordKind.Response ? ItemsIn(Member(message, "result")) : null,
                MaskedEntities = record.MaskedCounts.Count == 0 ? null : record.MaskedCounts,
            },
            Details = isRequest ? null : message,
        };
    }

    private LedgerEvent SessionEvent(string kind, string sessionId, string route, Caller caller, object details) => new()
    {
        Id = EventIds.New(time),
        Kind = kind,
        Time = time.GetUtcNow(),
        Actor = Actor(caller),
        Location = LocationOf(route, caller, sessionId),
        Details = JsonSerializer.SerializeToElement(details),
    };

    private EventLocation LocationOf(string? server, Caller caller, string? sessionId) => new()
    {
        Server = server,
        Transport = "streamable-http",
        ProtocolVersion = caller.ProtocolVersion,
        GatewayNode = gatewayNode,
        SessionId = sessionId,
    };

    /// <summary>The caller as every event of this recorder stores it, its clientInfo masked.</summary>
    private EventActor Actor(Caller caller) => ActorOf(caller, StoredClientInfo(caller.ClientInfo));

    /// <summary>Masked for no audience; withheld (null) if it cannot be masked, as a payload would be.</summary>
    private JsonElement? StoredClientInfo(JsonObject? clientInfo) => clientInfo is null ? null
        : _clientInfos.GetValue(clientInfo, info =>
        {
            try
            {
                return new StrongBox<JsonElement?>(JsonSerializer.SerializeToElement(masker.Mask(info, GatewayScope, revealTo: null).Message));
            }
            catch (MaskingFailedException)
            {
                return new StrongBox<JsonElement?>(null);
            }
        }).Value;

    /// <summary>The caller as an event records it, with <paramref name="storedClientInfo"/> already masked; shared with <see cref="AuditReadRecorder"/>.</summary>
    internal static EventActor ActorOf(Caller caller, JsonElement? storedClientInfo) => new()
    {
        Subject = caller.Subject,
        Issuer = caller.Issuer,
        Groups = caller.Groups.Count == 0 ? null : caller.Groups,
        AuthMethod = caller.AuthenticationMethod,
        Amr = caller.AuthenticationMethods.Count == 0 ? null : caller.AuthenticationMethods,
        Acr = caller.AuthenticationContext,
        AuthTime = caller.AuthenticatedAt,
        SourceAddress = caller.SourceAddress?.ToString(),
        ClientInfo = storedClientInfo,
    };

    /// <summary>The tool's arguments when the request has them, otherwise all its params.</summary>
    private static JsonElement? ArgumentsOf(JsonElement? request) =>
        Member(request, "params") is { } parameters ? Member(parameters, "arguments") ?? parameters : null;

    private static EventOutcome OutcomeOf(JsonElement response)
    {
        if (Member(response, "error") is { } error)
        {
            return new EventOutcome
            {
                // A gateway stage's refusal carries a reason code; an upstream's error does not.
                Status = Member(Member(error, "data"), "reason") is null ? "error" : "refused",
                ErrorCode = Member(error, "code") is { ValueKind: JsonValueKind.Number } code && code.TryGetInt32(out var value) ? value : null,
                ErrorMessage = Member(error, "message")?.GetString(),
            };
        }

        // A tool that fails answers with a result marked isError (MCP), not a JSON-RPC error.
        var items = ItemsIn(Member(response, "result"));
        return new EventOutcome
        {
            Status = Member(Member(response, "result"), "isError")?.ValueKind == JsonValueKind.True ? "tool_error" : "ok",
            Summary = items is { } count ? $"{count} item(s)" : null,
        };
    }

    /// <summary>What a result returned, counted the way an examiner asks "how much left": content blocks, resource contents, prompt messages, list entries.</summary>
    private static int? ItemsIn(JsonElement? result)
    {
        foreach (var name in ItemArrays)
        {
            if (Member(result, name) is { ValueKind: JsonValueKind.Array } items)
            {
                return items.GetArrayLength();
            }
        }

        return Member(Member(result, "completion"), "values") is { ValueKind: JsonValueKind.Array } values ? values.GetArrayLength() : null;
    }

    private static JsonElement? Member(JsonElement? value, string name) =>
        value is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(name, out var member) ? member : null;

    private static string KindOf(CallRecordKind kind) => kind switch
    {
        CallRecordKind.Request => EventKinds.CallRequest,
        CallRecordKind.Response => EventKinds.CallResponse,
        CallRecordKind.Cancelled => EventKinds.CallCancelled,
        CallRecordKind.Refused => EventKinds.CallRefused,
        _ => EventKinds.CallNotification,
    };
}
