namespace Proctor.Configuration;

/// <summary>
/// The <c>identity:</c> section: the gateway as an OAuth 2.1 resource server. <see cref="Resource"/>
/// is the gateway's canonical URI: tokens MUST carry it as audience (RFC 8707) and it is the
/// <c>resource</c> of the protected-resource metadata (RFC 9728).
/// </summary>
public sealed record IdentitySettings(Uri Resource, IReadOnlyList<Uri> Issuers, string GroupsClaim, IReadOnlyList<string> Algorithms, TimeSpan ClockSkew);
