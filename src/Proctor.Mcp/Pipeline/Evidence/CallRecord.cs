using System.Collections.ObjectModel;
using System.Text.Json.Nodes;

namespace Proctor.Mcp.Pipeline.Evidence;

/// <summary>What the call records: its request, what came back during it, its response, its cancellation, or its refusal before Record.</summary>
public enum CallRecordKind
{
    Request,
    Notification,
    ServerRequest,
    ClientAnswer,
    Response,
    Cancelled,

    /// <summary>A stage before Record refused the call; the payload is the refusal the caller received, never the request.</summary>
    Refused,
}

/// <summary>
/// One ledger entry of a call, with the call's facts (caller, upstream, method, target) and a payload
/// that is always the masked copy. Built only by the Record stage.
/// </summary>
/// <param name="Masked">The masked JSON-RPC message, the gateway's own refusal, or null for a cancellation.</param>
/// <param name="Elapsed">Time since the call entered the Record stage.</param>
public sealed record CallRecord(
    CallRecordKind Kind,
    string CallId,
    Caller Caller,
    string Server,
    string Method,
    string? Target,
    MaskedPayload? Masked,
    TimeSpan Elapsed)
{
    /// <summary>The payload as nodes; read from <see cref="PayloadUtf8"/> only when asked for.</summary>
    public JsonObject? Payload => Masked?.Message;

    /// <summary>The payload as the masker wrote it (<see cref="MaskedPayload.Utf8"/>), when it did: stored as is.</summary>
    public ReadOnlyMemory<byte>? PayloadUtf8 => Masked?.Utf8;

    public IReadOnlyDictionary<string, int> MaskedCounts => Masked?.CountsByEntity ?? ReadOnlyDictionary<string, int>.Empty;

    /// <summary>The policy's decision for the call (<see cref="CallContext.Decision"/>); null when a stage before Authorize refused it.</summary>
    public CallDecision? Decision { get; init; }

    /// <summary>For <see cref="CallRecordKind.Refused"/>: the refusal's reason code, also when the caller received a result rather than an error.</summary>
    public string? RefusalReason { get; init; }
}
