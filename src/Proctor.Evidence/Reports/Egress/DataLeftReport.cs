namespace Proctor.Evidence.Reports.Egress;

/// <summary>
/// reports/data-left.json. Reveals are not in the ledger (decision 0048): a caller in a rule's revealTo group sees the
/// value in its own response while the ledger keeps the masked copy, so the report names who could see what unmasked
/// (from the rules in force) and says that no per-call reveal count exists, rather than inventing one.
/// </summary>
internal static class DataLeftReport
{
    public const string RevealsNotRecorded =
        "The ledger does not record reveals: a caller in a rule's reveal_to group receives that rule's values unmasked in its own response, and the ledger keeps only the masked copy. reveal_rules lists who could see what unmasked during the period.";

    public static object Build(EgressTally egress, ReportSettings settings) => new
    {
        bytes_returned_means = "size of the masked results and notifications the gateway relayed to the caller",
        total = Counters(egress.Total),
        by_identity_and_server = egress.Pairs.Select(pair => new
        {
            identity = pair.Subject,
            server = pair.Server,
            counters = Counters(pair.Counters),
        }),
        revealed = new
        {
            recorded = false,
            note = RevealsNotRecorded,
            reveal_rules = settings.MaskingRules.Where(rule => rule.RevealTo.Count > 0),
        },
    };

    private static object Counters(EgressCounters counters) => new
    {
        calls = counters.Calls,
        responses = counters.Responses,
        bytes_returned = counters.BytesReturned,
        bytes_sent = counters.BytesSent,
        items_returned = counters.ItemsReturned,
        masked_by_type = counters.MaskedByType,
    };
}
