using System.Text.RegularExpressions;
using Proctor.Policy.Conditions;
using Proctor.Policy.Decisions;
using Proctor.Policy.Options;
using Proctor.Policy.Rules;

namespace Proctor.Policy.Building;

/// <summary>A rule that passed validation, waiting for the policy hash its decisions carry.</summary>
internal sealed record ValidRule(int Index, string Id, PolicyEffect Effect, SubjectSet Subjects, TargetMatcher Targets, TimeWindow? Window, bool OutsideWindow,
    Requirements? Requirements, CelCondition? Condition, string? Message, string? Link, ApprovalRequirement? Approval)
{
    public CompiledRule Compile(string hash) => new()
    {
        Index = Index,
        Id = Id,
        Effect = Effect,
        Subjects = Subjects,
        Targets = Targets,
        Window = Window,
        OutsideWindow = OutsideWindow,
        Requirements = Requirements,
        Condition = Condition,
        Message = Message,
        Link = Link,
        Approval = Approval,
        Decision = DecisionMessages.ForRule(hash, Index, Id, Effect, Message, Link, Approval),
    };
}

/// <summary>Checks one rule field by field, reporting every problem, and assembles it when there are none.</summary>
internal static partial class RuleBuilder
{
    /// <summary>Longer than a caller-facing message should be; it travels in every refusal.</summary>
    private const int MaxMessageLength = 500;

    private const int MaxApprovals = 10;

    public static ValidRule? Build(RuleOptions options, int index, PolicyBuildContext context, HashSet<string> seenIds)
    {
        var id = Id(options.Id, index, context, seenIds);
        var report = FieldReporter.ForRule(context.Errors, new RuleScope(index, id));
        var effect = Effect(options.Effect, report);
        var subjects = SubjectBuilder.ForRule(options.Subjects, context, report);
        var targets = TargetBuilder.Build(options.Targets, folded: effect == PolicyEffect.Deny, report);
        var requireOk = true;
        Requirements? requirements = null;
        if (effect is { } known)
        {
            requirements = RequirementBuilder.Build(options.Require, known, report, out requireOk);
        }

        var (window, outside, windowOk) = Window(options, context, report);
        var condition = ConditionBuilder.Build(options.Condition, report, out var conditionOk);
        var textOk = Text(options, report);
        var approval = Approval(options.Approval, effect, report, out var approvalOk);
        if (id is null || effect is null || subjects is null || targets is null || !requireOk || !windowOk || !conditionOk || !textOk || !approvalOk)
        {
            return null;
        }

        return new ValidRule(index, id, effect.Value, subjects, targets, window, outside, requirements, condition, options.Message, options.Link, approval);
    }

    private static string? Id(string? id, int index, PolicyBuildContext context, HashSet<string> seenIds)
    {
        var report = FieldReporter.ForRule(context.Errors, new RuleScope(index, null));
        if (string.IsNullOrEmpty(id))
        {
            report.Report("id", "is required: a short stable name that decisions and the audit trail will cite, e.g. \"analysts-search-customers\"");
            return null;
        }

        if (!IdPattern().IsMatch(id))
        {
            report.Report("id", $"\"{id}\" is not a valid rule id; use letters, digits, '.', '_', '-' and ':' (at most 128), starting with a letter or digit");
            return null;
        }

        if (id == PolicyDecision.DefaultDenyRuleId)
        {
            report.Report("id", $"\"{id}\" is reserved for decisions no rule made; choose another id");
            return null;
        }

        if (!seenIds.Add(id))
        {
            report.Report("id", $"\"{id}\" is already the id of an earlier rule; each rule needs its own id, since decisions cite it");
            return null;
        }

        return id;
    }

    private static PolicyEffect? Effect(string? effect, FieldReporter report)
    {
        switch (effect)
        {
            case "allow":
                return PolicyEffect.Allow;
            case "deny":
                return PolicyEffect.Deny;
            case "approve":
                return PolicyEffect.Approve;
            case "grant":
                return PolicyEffect.Grant;
            case null or "":
                report.Report("effect", "is required: allow, deny, approve or grant");
                return null;
            default:
                report.Report("effect", $"\"{effect}\" is not an effect; write allow, deny, approve or grant" + Suggestions.DidYouMean(effect, ["allow", "deny", "approve", "grant"]));
                return null;
        }
    }

    private static (TimeWindow? Window, bool Outside, bool Ok) Window(RuleOptions options, PolicyBuildContext context, FieldReporter report)
    {
        if (options.During is not null && options.Outside is not null)
        {
            report.Report("outside", "a rule has either during or outside, not both; split it into two rules");
            return (null, false, false);
        }

        var (name, field) = options.During is not null ? (options.During, "during") : (options.Outside, "outside");
        if (name is null)
        {
            return (null, false, true);
        }

        if (context.Windows.TryGetValue(name, out var window))
        {
            return (window, field == "outside", true);
        }

        if (!context.InvalidWindows.Contains(name))
        {
            var known = context.Windows.Keys.Order(StringComparer.Ordinal).ToList();
            report.Report(field, $"\"{name}\" is not a time window; define it under timeWindows:" + (known.Count == 0 ? "" : " or use one of: " + string.Join(", ", known))
                + Suggestions.DidYouMean(name, known));
        }

        return (null, false, false);
    }

    private static bool Text(RuleOptions options, FieldReporter report)
    {
        var ok = true;
        if (options.Message is { } message && (message.Trim().Length == 0 || message.Length > MaxMessageLength))
        {
            report.Report("message", message.Trim().Length == 0 ? "is empty; write what the caller should read, or remove it" : $"is {message.Length} characters long; keep it under {MaxMessageLength} and put the details behind link");
            ok = false;
        }

        if (options.Link is { } link && (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.UserInfo.Length > 0))
        {
            report.Report("link", $"\"{link}\" is not an http(s) URL; write e.g. \"https://wiki.bank.example/access-requests\"");
            ok = false;
        }

        return ok;
    }

    private static ApprovalRequirement? Approval(ApprovalOptions? options, PolicyEffect? effect, FieldReporter report, out bool ok)
    {
        ok = true;
        if (options is null)
        {
            return effect is PolicyEffect.Approve or PolicyEffect.Grant ? new ApprovalRequirement([], 1) : null;
        }

        if (effect is not null && effect is not (PolicyEffect.Approve or PolicyEffect.Grant))
        {
            report.Report("approval", "only an approve or grant rule has approvers; change the effect or remove approval");
            ok = false;
            return null;
        }

        var at = report.Below("approval");
        for (var i = 0; i < options.Approvers.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Approvers[i]))
            {
                at.Report($"approvers[{i}]", "is empty; write a group name such as \"payments-supervisors\"");
                ok = false;
            }
        }

        var minimum = options.MinApprovals ?? 1;
        if (minimum is < 1 or > MaxApprovals)
        {
            at.Report("minApprovals", $"{minimum} is not between 1 and {MaxApprovals}");
            ok = false;
        }

        return ok ? new ApprovalRequirement([.. options.Approvers.Distinct(StringComparer.Ordinal)], minimum) : null;
    }

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}\z")]
    private static partial Regex IdPattern();
}
