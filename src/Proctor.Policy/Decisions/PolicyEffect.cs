namespace Proctor.Policy.Decisions;

/// <summary>What a rule (or the default) decides. Precedence when several rules apply: deny, then approve, then allow.</summary>
public enum PolicyEffect
{
    Deny,
    Approve,
    Allow,
}
