namespace Proctor.Approvals.Requests;

/// <summary>
/// What an approval is bound to: one call, exactly. An approved request authorizes a run only when every member is
/// equal (ordinal): the same identity (issuer and subject), server, tool, arguments (by digest), and the same policy
/// still asking for approval by the same rule. Any difference is another call, and needs its own approval.
/// </summary>
/// <param name="Identity">The caller's key: issuer and subject together (subjects are unique only per issuer).</param>
/// <param name="ArgumentsDigest">See <see cref="ArgumentDigest"/>.</param>
/// <param name="PolicyHash">The hash of the policy that asked for approval.</param>
/// <param name="Rule">The id of the rule that asked for it.</param>
public sealed record CallBinding(string Identity, string Server, string Tool, string ArgumentsDigest, string PolicyHash, string Rule);
