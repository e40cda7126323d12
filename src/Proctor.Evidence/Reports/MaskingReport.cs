using Proctor.Evidence.Reports.Egress;

namespace Proctor.Evidence.Reports;

/// <summary>reports/masking.json: the rules in force at export, the period's masked counts by type, and the release's accuracy figures.</summary>
internal static class MaskingReport
{
    public static object Build(EgressTally egress, ReportSettings settings) => new
    {
        rules_in_force = new
        {
            configuration_hash = settings.ConfigurationHash,
            rules = settings.MaskingRules,
            custom_patterns = settings.CustomPatterns,
            deny_lists = settings.DenyLists,
            gateway_secrets = settings.GatewaySecrets,
            note = "As configured when the package was exported; a configuration loaded during the period is named by its hash in the config.load events of events.jsonl.",
        },
        masked_by_type = egress.Total.MaskedByType,
        accuracy = new
        {
            source = MaskingAccuracy.Source,
            hard_negatives = MaskingAccuracy.HardNegatives,
            hard_negatives_with_any_finding = MaskingAccuracy.HardNegativesWithAnyFinding,
            by_entity = MaskingAccuracy.ByEntity.Select(entity => new
            {
                entity = entity.Entity,
                positives = entity.Positives,
                true_positives = entity.TruePositives,
                false_positives = entity.FalsePositives,
                recall = entity.Recall,
                precision = entity.Precision,
            }),
            caveat = MaskingAccuracy.Caveat,
        },
    };
}
