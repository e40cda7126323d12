using Proctor.Configuration.Options;
using YamlDotNet.RepresentationModel;

namespace Proctor.Configuration.Reading;

/// <summary>The <c>masking:</c> section: lists of mappings, each entry bound in place so indices match the file.</summary>
internal sealed partial class OptionsBinder
{
    private const string RuleExample = "{ entity: ssn, strategy: partial, keepLast: 4 }";

    private MaskingOptions BindMasking(YamlNode node)
    {
        const string path = "masking";
        var masking = new MaskingOptions();
        if (Mapping(node, path, "{ rules: [" + RuleExample + "] }") is not { } mapping)
        {
            return masking;
        }

        foreach (var (key, value) in Entries(mapping, path))
        {
            var keyPath = KeyPath.Child(path, key);
            switch (key)
            {
                case "rules":
                    masking.Rules = BindRules(value, keyPath);
                    break;
                case "overrides":
                    masking.Overrides = MappingList<MaskingOverrideOptions>(value, keyPath, "an override", "{ server: bank, tool: get_customer, rules: [" + RuleExample + "] }", BindOverride);
                    break;
                case "customPatterns":
                    masking.CustomPatterns = MappingList<CustomPatternOptions>(value, keyPath, "a custom pattern", "{ name: customer_id, pattern: \"CUST-[0-9]{8}\" }", BindCustomPattern);
                    break;
                case "denyLists":
                    masking.DenyLists = MappingList<DenyListOptions>(value, keyPath, "a deny-list", "{ name: project, terms: [\"Blue Harbor\"] }", BindDenyList);
                    break;
                case "timeBudget":
                    masking.TimeBudget = Scalar(value, keyPath, "a duration", "\"1s\"");
                    break;
                default:
                    UnknownKey(keyPath, key, ConfigurationKeys.Masking);
                    break;
            }
        }

        return masking;
    }

    private List<MaskingRuleOptions>? BindRules(YamlNode node, string path) =>
        MappingList<MaskingRuleOptions>(node, path, "a rule", RuleExample, BindRule);

    private void BindRule(YamlMappingNode mapping, string path, MaskingRuleOptions rule)
    {
        foreach (var (key, value) in Entries(mapping, path))
        {
            var keyPath = KeyPath.Child(path, key);
            switch (key)
            {
                case "entity":
                    rule.Entity = Scalar(value, keyPath, "an entity type", "ssn");
                    break;
                case "field":
                    rule.Field = Scalar(value, keyPath, "a field name", "account_number");
                    break;
                case "path":
                    rule.Path = Scalar(value, keyPath, "dotted field names", "customer.ssn");
                    break;
                case "strategy":
                    rule.Strategy = Scalar(value, keyPath, "redact, partial, token, hash or none", "partial");
                    break;
                case "keepLast":
                    rule.KeepLast = Scalar(value, keyPath, "a number from 1 to 8", "4");
                    break;
                case "revealTo":
                    rule.RevealTo = List(value, keyPath, "a list of groups", "a group", "\"fraud-investigators\"", splitExample: true);
                    break;
                default:
                    UnknownKey(keyPath, key, ConfigurationKeys.MaskingRule);
                    break;
            }
        }
    }

    private void BindOverride(YamlMappingNode mapping, string path, MaskingOverrideOptions scope)
    {
        foreach (var (key, value) in Entries(mapping, path))
        {
            var keyPath = KeyPath.Child(path, key);
            switch (key)
            {
                case "server":
                    scope.Server = Scalar(value, keyPath, "an upstream name", "bank");
                    break;
                case "tool":
                    scope.Tool = Scalar(value, keyPath, "a tool name", "get_customer");
                    break;
                case "rules":
                    scope.Rules = BindRules(value, keyPath);
                    break;
                default:
                    UnknownKey(keyPath, key, ConfigurationKeys.MaskingOverride);
                    break;
            }
        }
    }

    private void BindCustomPattern(YamlMappingNode mapping, string path, CustomPatternOptions pattern)
    {
        foreach (var (key, value) in Entries(mapping, path))
        {
            var keyPath = KeyPath.Child(path, key);
            switch (key)
            {
                case "name":
                    pattern.Name = Scalar(value, keyPath, "a name", "customer_id");
                    break;
                case "pattern":
                    pattern.Pattern = Scalar(value, keyPath, "a regular expression", "\"CUST-[0-9]{8}\"");
                    break;
                default:
                    UnknownKey(keyPath, key, ConfigurationKeys.CustomPattern);
                    break;
            }
        }
    }

    private void BindDenyList(YamlMappingNode mapping, string path, DenyListOptions list)
    {
        foreach (var (key, value) in Entries(mapping, path))
        {
            var keyPath = KeyPath.Child(path, key);
            switch (key)
            {
                case "name":
                    list.Name = Scalar(value, keyPath, "a name", "project");
                    break;
                case "terms":
                    list.Terms = List(value, keyPath, "a list of terms", "a term", "\"Blue Harbor\"", splitExample: false);
                    break;
                default:
                    UnknownKey(keyPath, key, ConfigurationKeys.DenyList);
                    break;
            }
        }
    }

    /// <summary>A list whose entries are mappings. An entry that is not one is reported and kept empty, so later entries keep their index.</summary>
    private List<T>? MappingList<T>(YamlNode node, string path, string itemWhat, string itemExample, Action<YamlMappingNode, string, T> bind)
        where T : new()
    {
        if (IsNullNode(node))
        {
            return null;
        }

        if (node is not YamlSequenceNode sequence)
        {
            errors.Add(new ConfigurationError(path, $"expected a list, found {Describe(node)}; use e.g. [{itemExample}]"));
            return null;
        }

        var items = new List<T>(sequence.Children.Count);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = KeyPath.Item(path, i);
            var item = new T();
            items.Add(item);
            switch (sequence.Children[i])
            {
                case YamlMappingNode mapping:
                    bind(mapping, itemPath, item);
                    break;
                case var other when IsNullNode(other):
                    errors.Add(new ConfigurationError(itemPath, $"is empty; write {itemWhat}, e.g. {itemExample}, or remove the entry"));
                    break;
                case var other:
                    errors.Add(new ConfigurationError(itemPath, $"expected {itemWhat}, found {Describe(other)}; use e.g. {itemExample}"));
                    break;
            }
        }

        return items;
    }
}
