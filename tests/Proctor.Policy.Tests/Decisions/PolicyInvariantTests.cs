using FsCheck.Xunit;
using Proctor.Mcp.Routing;
using Proctor.Policy.Decisions;

namespace Proctor.Policy.Tests.Decisions;

/// <summary>
/// The invariants of docs/policy.md over generated policies, callers, targets, arguments and times
/// (FsCheck; a failure prints the policy, caller and target that broke it).
/// </summary>
public sealed class PolicyInvariantTests
{
    private const int Cases = 200;

    [Property(Arbitrary = [typeof(PolicyScenarios)], MaxTest = Cases)]
    public void Decide_AlwaysAgreesWithExplain(Scenario scenario)
    {
        foreach (var args in scenario.ArgumentSets)
        {
            var request = scenario.Request(scenario.Tool, args);
            var decision = scenario.Model.Decide(request);
            var explained = scenario.Model.Explain(request).Decision;

            Assert.Equal((decision.Effect, decision.RuleId, decision.ReasonCode), (explained.Effect, explained.RuleId, explained.ReasonCode));
        }
    }

    [Property(Arbitrary = [typeof(PolicyScenarios)], MaxTest = Cases)]
    public void Decide_AllowsOnlyThroughAMatchingRule_AndDenyBeatsAllow(Scenario scenario)
    {
        foreach (var args in scenario.ArgumentSets)
        {
            var explanation = scenario.Model.Explain(scenario.Request(scenario.Tool, args));
            var matched = explanation.Rules.Where(r => r.Outcome == RuleOutcome.Matched).ToList();
            var effect = explanation.Decision.Effect;

            if (matched.Any(r => r.Effect == PolicyEffect.Deny) || explanation.Rules.Any(r => r.Outcome == RuleOutcome.ConditionError))
            {
                Assert.Equal(PolicyEffect.Deny, effect);
            }

            if (effect != PolicyEffect.Deny)
            {
                var rule = Assert.Single(explanation.Rules, r => r.Id == explanation.Decision.RuleId);
                Assert.Equal((RuleOutcome.Matched, effect), (rule.Outcome, rule.Effect));
            }

            if (matched.All(r => r.Effect == PolicyEffect.Deny))
            {
                Assert.Equal(PolicyEffect.Deny, effect);
            }
        }
    }

    [Property(Arbitrary = [typeof(PolicyScenarios)], MaxTest = Cases)]
    public void IsVisible_False_NeverCallableWithAnyArguments(Scenario scenario)
    {
        if (scenario.Model.IsVisible(scenario.Caller, PolicyTarget.Tool(scenario.Server, scenario.Tool), scenario.At))
        {
            return;
        }

        foreach (var args in scenario.ArgumentSets.Append("{}").Append("""{"amount": 1, "memo": "x", "z": 0}"""))
        {
            Assert.Equal(PolicyEffect.Deny, scenario.Model.Decide(scenario.Request(scenario.Tool, args)).Effect);
        }
    }

    [Property(Arbitrary = [typeof(PolicyScenarios)], MaxTest = Cases)]
    public void Arguments_ChangeTheDecisionOnlyThroughConditionsThatReadThem(Scenario scenario)
    {
        var explanations = scenario.ArgumentSets.Select(a => scenario.Model.Explain(scenario.Request(scenario.Tool, a))).ToList();
        var readsArgs = scenario.Rules.Where(r => r.ConditionReadsArgs).Select(r => r.Id).ToHashSet();
        foreach (var other in explanations.Skip(1))
        {
            var first = explanations[0];
            for (var i = 0; i < first.Rules.Count; i++)
            {
                if (!readsArgs.Contains(first.Rules[i].Id))
                {
                    Assert.Equal(first.Rules[i].Outcome, other.Rules[i].Outcome);
                }
            }

            if (first.Decision.Effect != other.Decision.Effect || first.Decision.RuleId != other.Decision.RuleId)
            {
                Assert.Contains(Enumerable.Range(0, first.Rules.Count), i => readsArgs.Contains(first.Rules[i].Id) && first.Rules[i].Outcome != other.Rules[i].Outcome);
            }
        }
    }

    [Property(Arbitrary = [typeof(PolicyScenarios)], MaxTest = Cases)]
    public void NameForms_PrefixedOnMcpAndBareOnMcpServer_DecideAlike(Scenario scenario)
    {
        Assert.True(QualifiedName.TrySplit(QualifiedName.Join(scenario.Server, scenario.Tool), out var server, out var tool));
        var bare = new PolicyRequest(scenario.Caller, PolicyTarget.Tool(scenario.Server, scenario.Tool), null, scenario.At);
        var prefixed = bare with { Target = PolicyTarget.Tool(server, tool) };

        Assert.Same(scenario.Model.Decide(bare).RuleId, scenario.Model.Decide(prefixed).RuleId);
        Assert.Equal(scenario.Model.IsVisible(scenario.Caller, bare.Target, scenario.At), scenario.Model.IsVisible(scenario.Caller, prefixed.Target, scenario.At));
    }

    [Property(Arbitrary = [typeof(PolicyScenarios)], MaxTest = Cases)]
    public void DenyRule_CannotBeSidesteppedByCaseWidthOrInvisibleVariants(Scenario scenario)
    {
        foreach (var args in scenario.ArgumentSets)
        {
            var explanation = scenario.Model.Explain(scenario.Request(scenario.Tool, args));
            if (!explanation.Rules.Any(r => r.Effect == PolicyEffect.Deny && r.Outcome == RuleOutcome.Matched))
            {
                continue;
            }

            foreach (var variant in PolicyScenarios.Variants(scenario.Tool))
            {
                Assert.Equal(PolicyEffect.Deny, scenario.Model.Decide(scenario.Request(variant, args)).Effect);
            }
        }
    }

    [Property(Arbitrary = [typeof(PolicyScenarios)], MaxTest = Cases)]
    public void DisguisedName_AlwaysRefusedAndHidden(Scenario scenario)
    {
        foreach (var variant in PolicyScenarios.Variants(scenario.Tool).Where(Proctor.Policy.Rules.NameFold.IsDisguised))
        {
            var decision = scenario.Model.Decide(scenario.Request(variant, "{}"));

            Assert.Equal((PolicyEffect.Deny, PolicyReasonCodes.NameRefused), (decision.Effect, decision.ReasonCode));
            Assert.False(scenario.Model.IsVisible(scenario.Caller, PolicyTarget.Tool(scenario.Server, variant), scenario.At));
        }
    }

    [Property(Arbitrary = [typeof(PolicyScenarios)], MaxTest = Cases)]
    public void DefaultDeny_ATargetNoRuleCovers_IsDeniedAndHidden(Scenario scenario)
    {
        if (scenario.Rules.Any(r => r.Servers.Contains('*', StringComparison.Ordinal)))
        {
            return;
        }

        var request = new PolicyRequest(scenario.Caller, PolicyTarget.Tool("ledger", scenario.Tool), null, scenario.At);

        Assert.Equal(PolicyReasonCodes.NotAllowed, scenario.Model.Decide(request).ReasonCode);
        Assert.False(scenario.Model.IsVisible(scenario.Caller, request.Target, scenario.At));
    }
}
