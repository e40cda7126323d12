using Proctor.Ledger.Events;

namespace Proctor.Evidence.Reports.Access;

/// <summary>
/// The policy versions in force in the period (decision 0049): each policy.load that put one in force, each refused
/// reload, and every policy hash a decision named. A hash named by decisions but loaded before the period is listed
/// too, so no decision in the package points at a policy the report does not mention.
/// </summary>
internal sealed class PolicyTally
{
    private readonly Dictionary<string, PolicySeen> _policies = new(StringComparer.Ordinal);
    private readonly List<RefusedPolicyLoad> _refused = [];

    public void Observe(LedgerEvent ledgerEvent)
    {
        if (ledgerEvent.Kind == EventKinds.PolicyLoad)
        {
            Load(ledgerEvent);
        }
        else if (ledgerEvent.Decision?.PolicyHash is { } hash)
        {
            Policy(hash).Decisions++;
        }
    }

    public IReadOnlyList<PolicySeen> Policies => [.. _policies.Values.OrderBy(policy => policy.LoadedAt ?? DateTimeOffset.MinValue).ThenBy(policy => policy.Hash, StringComparer.Ordinal)];

    public IReadOnlyList<RefusedPolicyLoad> Refused => _refused;

    private void Load(LedgerEvent e)
    {
        if (e.Outcome?.Status == "refused")
        {
            _refused.Add(new RefusedPolicyLoad(e.Time, EventDetails.Text(e.Details, "source"), EventDetails.Text(e.Details, "in_force"), EventDetails.Texts(e.Details, "errors").Count));
            return;
        }

        if (EventDetails.Text(e.Details, "hash") is not { } hash)
        {
            return;
        }

        var policy = Policy(hash);
        policy.LoadedAt ??= e.Time;
        policy.Source = EventDetails.Text(e.Details, "source");
        policy.RuleCount = EventDetails.Number(e.Details, "rule_count");
        policy.Replaced = EventDetails.Text(e.Details, "replaced");
        policy.Trigger = EventDetails.Text(e.Details, "trigger");
    }

    private PolicySeen Policy(string hash)
    {
        if (!_policies.TryGetValue(hash, out var policy))
        {
            _policies.Add(hash, policy = new PolicySeen(hash));
        }

        return policy;
    }
}

internal sealed class PolicySeen(string hash)
{
    public string Hash { get; } = hash;

    /// <summary>Null when the policy was put in force before the period (only decisions name it).</summary>
    public DateTimeOffset? LoadedAt { get; set; }
    public string? Source { get; set; }
    public long? RuleCount { get; set; }
    public string? Replaced { get; set; }
    public string? Trigger { get; set; }
    public long Decisions { get; set; }
}

public sealed record RefusedPolicyLoad(DateTimeOffset At, string? Source, string? KeptInForce, int Errors);
