using Proctor.Configuration.Models.Schema;
using Proctor.Configuration.Models.Secrets;
using Proctor.Masking.Policy;

namespace Proctor.Configuration.Options;

/// <summary>
/// The <c>masking:</c> section as bound; the builder turns it into the engine's <see cref="MaskingPolicy"/>
/// entry for entry, so the policy's keys (<c>rules[2]</c>) are the file's keys below <c>masking</c>.
/// Entries that could not be read stay in place (empty), so every later entry keeps its index.
/// </summary>
internal sealed class MaskingOptions
{
    public const string RuleExample = "{ entity: ssn, strategy: partial, keepLast: 4 }";

    [Setting("a list", RuleExample, ItemWhat = "a rule", OverrideExample = "STRATEGY")]
    public IReadOnlyList<MaskingRuleOptions> Rules { get; set; } = [];

    [Setting("a list", "{ server: bank, tool: get_customer, rules: [" + RuleExample + "] }", ItemWhat = "an override", OverrideExample = "SERVER")]
    public IReadOnlyList<MaskingOverrideOptions> Overrides { get; set; } = [];

    [Setting("a list", "{ name: customer_id, pattern: \"CUST-[0-9]{8}\" }", ItemWhat = "a custom pattern", OverrideExample = "NAME")]
    public IReadOnlyList<CustomPatternOptions> CustomPatterns { get; set; } = [];

    [Setting("a list", "{ name: project, terms: [\"Blue Harbor\"] }", ItemWhat = "a deny-list", OverrideExample = "NAME")]
    public IReadOnlyList<DenyListOptions> DenyLists { get; set; } = [];

    [Setting("a duration", "\"1s\"")]
    public TimeSpan TimeBudget { get; set; } = new MaskingPolicy().TimeBudget;
}

/// <summary>One entry of <c>masking.rules</c> (or of an override's <c>rules</c>).</summary>
internal sealed class MaskingRuleOptions
{
    [Setting("an entity type", "ssn")]
    public string? Entity { get; set; }

    [Setting("a field name", "account_number")]
    public string? Field { get; set; }

    [Setting("dotted field names", "customer.ssn")]
    public string? Path { get; set; }

    [Setting("redact, partial, token, hash or none", "partial", Format = ValueFormat.Strategy)]
    public MaskingStrategy Strategy { get; set; } = MaskingStrategy.Redact;

    [Setting("a number from 1 to 8", "4", Format = ValueFormat.KeepLast)]
    public int KeepLast { get; set; } = new MaskingRule().KeepLast;

    [Setting("a list of groups", "\"fraud-investigators\"", ItemWhat = "a group", SplitExample = true, Set = true)]
    public IReadOnlyList<string> RevealTo { get; set; } = [];
}

/// <summary>One entry of <c>masking.overrides</c>: rules for one upstream, or one tool of it.</summary>
internal sealed class MaskingOverrideOptions
{
    [Setting("an upstream name", "bank")]
    public string? Server { get; set; }

    [Setting("a tool name", "get_customer")]
    public string? Tool { get; set; }

    [Setting("a list", MaskingOptions.RuleExample, ItemWhat = "a rule", OverrideExample = "STRATEGY")]
    public IReadOnlyList<MaskingRuleOptions> Rules { get; set; } = [];
}

/// <summary>One entry of <c>masking.customPatterns</c>.</summary>
internal sealed class CustomPatternOptions
{
    [Setting("a name", "customer_id")]
    public string? Name { get; set; }

    [Setting("a regular expression", "\"CUST-[0-9]{8}\"")]
    public string? Pattern { get; set; }
}

/// <summary>One entry of <c>masking.denyLists</c>. A term may be a secret reference (<c>${file:…}</c>), resolved while it is bound.</summary>
internal sealed class DenyListOptions
{
    [Setting("a name", "project")]
    public string? Name { get; set; }

    [Setting("a list of terms", "\"Blue Harbor\"", ItemWhat = "a term")]
    public IReadOnlyList<SecretValue> Terms { get; set; } = [];
}
