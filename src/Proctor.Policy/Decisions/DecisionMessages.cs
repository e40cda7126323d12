using Proctor.Policy.Rules;

namespace Proctor.Policy.Decisions;

/// <summary>The decisions no single rule's precomputed answer covers, with messages for the caller.</summary>
internal static class DecisionMessages
{
    public static PolicyDecision ForRule(string hash, int index, string id, PolicyEffect effect, string? message, string? link, ApprovalRequirement? approval) => effect switch
    {
        PolicyEffect.Allow => new PolicyDecision(effect, id, index, hash, PolicyReasonCodes.Allowed, message ?? $"Allowed by policy rule '{id}'.") { Link = link },
        PolicyEffect.Approve => new PolicyDecision(effect, id, index, hash, PolicyReasonCodes.ApprovalRequired,
            message ?? $"This call needs approval by someone else first (policy rule '{id}').") { Link = link, Approval = approval },
        PolicyEffect.Grant => new PolicyDecision(effect, id, index, hash, PolicyReasonCodes.GrantRequired,
            message ?? $"This tool needs a just-in-time access grant (policy rule '{id}').") { Link = link, Approval = approval },
        _ => new PolicyDecision(effect, id, index, hash, PolicyReasonCodes.Denied, message ?? $"Denied by policy rule '{id}'.") { Link = link },
    };

    public static PolicyDecision DefaultDeny(string hash, in PolicyTarget target) =>
        new(PolicyEffect.Deny, PolicyDecision.DefaultDenyRuleId, -1, hash, PolicyReasonCodes.NotAllowed,
            $"No policy rule allows you to use {target}. Ask your gateway administrator for access to it.");

    public static PolicyDecision ConditionError(string hash, CompiledRule rule, string error) =>
        new(PolicyEffect.Deny, rule.Id, rule.Index, hash, PolicyReasonCodes.ConditionError,
            $"Policy rule '{rule.Id}' could not evaluate its condition ({error}), so the call is refused. Check the arguments; if they are right, tell the policy's owner.")
        { Link = rule.Link };

    public static PolicyDecision NameRefused(string hash, in PolicyTarget target) =>
        new(PolicyEffect.Deny, PolicyDecision.DefaultDenyRuleId, -1, hash, PolicyReasonCodes.NameRefused,
            $"The name {Escape(target.Server)}/{Escape(target.Name)} holds invisible characters or look-alikes of ASCII letters, so it is refused. Use the name exactly as the list shows it.");

    public static PolicyDecision RequirementNotMet(string hash, CompiledRule rule, RequirementFailure failure, in PolicyRequest request)
    {
        var reason = failure switch
        {
            RequirementFailure.Mfa or RequirementFailure.Amr => PolicyReasonCodes.MfaRequired,
            RequirementFailure.Acr => PolicyReasonCodes.AcrRequired,
            RequirementFailure.Scopes => PolicyReasonCodes.InsufficientScope,
            _ => PolicyReasonCodes.AuthenticationTooOld,
        };
        return new PolicyDecision(PolicyEffect.Deny, rule.Id, rule.Index, hash, reason, $"Policy rule '{rule.Id}' {Requirement(rule, failure, request)}.")
        {
            Link = rule.Link,
            RequiredScopes = failure == RequirementFailure.Scopes ? rule.Requirements!.Scopes : [],
        };
    }

    /// <summary>What the rule needs that the caller's token does not show, and what to do.</summary>
    public static string Requirement(CompiledRule rule, RequirementFailure failure, in PolicyRequest request)
    {
        var caller = request.Caller;
        var requirements = rule.Requirements!;
        return failure switch
        {
            RequirementFailure.Mfa => $"needs a multi-factor sign-in; your token's authentication methods (amr) are: {List(caller.AuthenticationMethods)}. Sign in again with MFA and use the new token",
            RequirementFailure.Amr => $"needs one of the authentication methods (amr) {string.Join(", ", requirements.Amr)}; yours are: {List(caller.AuthenticationMethods)}. Sign in again with one of them",
            RequirementFailure.Acr => $"needs the authentication context (acr) {string.Join(" or ", requirements.Acr.Order(StringComparer.Ordinal))}; yours is {caller.AuthenticationContext ?? "not stated"}. Sign in again at that level",
            RequirementFailure.Scopes => $"needs the scope(s) {string.Join(' ', requirements.Scopes)}; your token lacks {string.Join(' ', Missing(requirements.Scopes, caller.Scopes))}. Request a token with them",
            _ => caller.AuthenticatedAt is { } signedIn
                ? $"needs a sign-in within {requirements.MaxAuthAge}; yours was {request.At - signedIn:d\\.hh\\:mm\\:ss} ago. Sign in again and use the new token"
                : $"needs a sign-in within {requirements.MaxAuthAge}; your token does not say when you signed in (auth_time). Sign in again",
        };
    }

    private static string List(IReadOnlyList<string> values) => values.Count == 0 ? "none recorded" : string.Join(", ", values);

    private static IEnumerable<string> Missing(string[] wanted, IReadOnlyList<string> held) => wanted.Where(s => !held.Contains(s, StringComparer.Ordinal));

    /// <summary>Shows invisible and non-ASCII characters as \uXXXX so the caller sees what was sent.</summary>
    private static string Escape(string name)
    {
        var text = new System.Text.StringBuilder("'");
        foreach (var c in name.Length > 80 ? name[..80] : name)
        {
            if (c is >= ' ' and < (char)0x7F)
            {
                text.Append(c);
            }
            else
            {
                text.Append($"\\u{(int)c:X4}");
            }
        }

        return text.Append('\'').ToString();
    }
}
