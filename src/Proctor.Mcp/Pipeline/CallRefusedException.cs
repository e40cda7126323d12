namespace Proctor.Mcp.Pipeline;

/// <summary>
/// Thrown by a stage or a message step that must stop the call with a stable reason (masking failed,
/// the ledger cannot commit); <see cref="CallPipeline"/> turns it into the caller's JSON-RPC error.
/// </summary>
public sealed class CallRefusedException(string reasonCode, string message, int code = Protocol.JsonRpcErrorCodes.Refused) : Exception(message)
{
    public string ReasonCode { get; } = reasonCode;

    public int Code { get; } = code;
}
