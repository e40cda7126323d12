using Proctor.Policy.Decisions;

namespace Proctor.Mcp.Pipeline;

/// <summary>
/// What the Authorize stage decided for a call, as every ledger record of the call names it: the effect,
/// the deciding rule (null when no rule was asked: lists, methods that name nothing), the hash of the
/// policy in force and the reason code.
/// </summary>
public sealed record CallDecision(string Effect, string? Rule, string PolicyHash, string ReasonCode)
{
    public static CallDecision Of(PolicyDecision decision) =>
        new(PolicyExplanation.Name(decision.Effect), decision.RuleId, decision.PolicyHash, decision.ReasonCode);
}
