namespace Proctor.Policy.Decisions;

/// <summary>
/// What a rule (or the default) decides. Precedence when several rules apply: deny, then approve, then grant, then allow
/// (the stricter wins). The order of the members is that precedence (CandidateIndex sorts by it).
/// </summary>
public enum PolicyEffect
{
    Deny,
    Approve,

    /// <summary>Allowed only while the caller holds an active just-in-time grant covering the server and tool (docs/access.md, decision 0041).</summary>
    Grant,
    Allow,
}
