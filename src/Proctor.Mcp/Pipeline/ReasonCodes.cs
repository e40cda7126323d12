namespace Proctor.Mcp.Pipeline;

/// <summary>Stable reason codes carried in <c>error.data.reason</c>; documented in docs/reason-codes.md; never reused.</summary>
public static class ReasonCodes
{
    public const string NoCaller = "identity.no_caller";
    public const string MfaRequired = "identity.mfa_required";
    public const string AuthenticationTooOld = "identity.authentication_too_old";
    public const string InsufficientScope = "identity.insufficient_scope";
    public const string UpstreamUnavailable = "upstream.unavailable";
    public const string UpstreamTimeout = "upstream.timeout";
    public const string UpstreamMessageTooLarge = "upstream.message_too_large";
    public const string UnknownServer = "routing.unknown_server";
    public const string UnknownTool = "routing.unknown_name";
    public const string Fault = "gateway.fault";
    public const string MaskingFailed = "masking.failed";
    public const string LedgerUnavailable = "ledger.unavailable";
}
