using Proctor.Ledger.Events;

namespace Proctor.Evidence.Reports.Access;

/// <summary>Refused calls and denied requests, counted by reason code and by identity.</summary>
internal sealed class DenialTally
{
    private readonly Dictionary<(string Subject, string Server, string Reason), long> _counts = [];

    public void Observe(LedgerEvent ledgerEvent)
    {
        if (!IsDenial(ledgerEvent))
        {
            return;
        }

        var key = (ledgerEvent.Actor?.Subject ?? "(unknown)", ledgerEvent.Location?.Server ?? "", ReasonOf(ledgerEvent));
        _counts[key] = _counts.GetValueOrDefault(key) + 1;
    }

    public long Total => _counts.Values.Sum();

    public IReadOnlyList<DenialCount> ByReason =>
        [.. _counts.GroupBy(count => count.Key.Reason).OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => new DenialCount(null, null, group.Key, group.Sum(count => count.Value)))];

    public IReadOnlyList<DenialCount> ByIdentity =>
        [.. _counts.OrderBy(count => count.Key.Subject, StringComparer.Ordinal).ThenBy(count => count.Key.Server, StringComparer.Ordinal).ThenBy(count => count.Key.Reason, StringComparer.Ordinal)
            .Select(count => new DenialCount(count.Key.Subject, count.Key.Server, count.Key.Reason, count.Value))];

    private static bool IsDenial(LedgerEvent e) =>
        e.Kind is EventKinds.CallRefused or EventKinds.ApprovalDeny or EventKinds.GrantDeny
        || (e.Kind == EventKinds.CallRequest && e.Decision?.Effect == "deny");

    /// <summary>A denied approval or grant is named by its event kind: an approver's refusal has no reason code.</summary>
    private static string ReasonOf(LedgerEvent e) =>
        e.Kind is EventKinds.ApprovalDeny or EventKinds.GrantDeny ? e.Kind : e.Decision?.ReasonCode ?? "(none recorded)";
}

public sealed record DenialCount(string? Subject, string? Server, string Reason, long Count);
