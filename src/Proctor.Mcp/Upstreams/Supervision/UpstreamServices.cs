namespace Proctor.Mcp.Upstreams.Supervision;

/// <summary>What every upstream connector takes from the host: its clock, and the masking of upstream text.</summary>
/// <param name="Masker">
/// Masks what an upstream says about itself (an <c>initialize</c> error, a stderr line) before the gateway
/// shows, returns or logs it: the text can carry the credential the gateway sent, or customer data.
/// </param>
public sealed record UpstreamServices(TimeProvider Time, ILogLineMasker Masker);
