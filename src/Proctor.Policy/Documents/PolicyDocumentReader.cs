using Proctor.Policy.Options;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Proctor.Policy.Documents;

/// <summary>The options read from a policy document, or the problems that kept it from being read.</summary>
public sealed record PolicyReadResult(PolicyOptions Options, IReadOnlyList<PolicyError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Reads a YAML policy document (docs/policy.md) into <see cref="PolicyOptions"/>: refuses unknown
/// keys (suggesting the one meant) and values of the wrong shape, and records where each field was
/// written so that later errors can give its line and column. What values must look like is the
/// builder's concern. Conventions follow <c>Proctor.Configuration</c>'s reader: one document, errors
/// naming the full key, YAML syntax errors with line and column.
/// </summary>
public static class PolicyDocumentReader
{
    private static readonly string[] RootKeys = ["roles", "timeWindows", "rules"];
    private static readonly string[] RuleKeys = ["id", "description", "effect", "subjects", "targets", "require", "during", "outside", "condition", "message", "link", "approval"];
    private static readonly string[] SubjectKeys = ["everyone", "users", "groups", "agentKeys", "roles"];
    private static readonly string[] TargetKeys = ["servers", "tools", "prompts", "resources"];
    private static readonly string[] RequireKeys = ["mfa", "amr", "acr", "scopes", "maxAuthAge"];
    private static readonly string[] WindowKeys = ["timeZone", "days", "hours"];
    private static readonly string[] ApprovalKeys = ["approvers", "minApprovals"];

    /// <summary>Reads <paramref name="yaml"/>; <paramref name="sourceName"/> names the file in syntax errors.</summary>
    public static PolicyReadResult Read(string yaml, string sourceName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            var message = e.Message.TrimEnd('.');
            message = message.StartsWith("Duplicate key ", StringComparison.Ordinal)
                ? $"the key \"{message["Duplicate key ".Length..]}\" appears twice in the same mapping; keep one"
                : char.ToLowerInvariant(message[0]) + message[1..];
            return new PolicyReadResult(new PolicyOptions(), [new PolicyError(sourceName, message) { Location = new SourceLocation(e.Start.Line, e.Start.Column) }]);
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            return new PolicyReadResult(new PolicyOptions(),
                [new PolicyError(sourceName, "a policy file holds one YAML document; remove the \"---\" that starts a second one") { Location = new SourceLocation(second.Line, second.Column) }]);
        }

        return Read(stream.Documents.Count == 1 ? stream.Documents[0].RootNode : null, sourceName);
    }

    /// <summary>Reads an already parsed node: the whole document, or a <c>policy:</c> section of another file.</summary>
    public static PolicyReadResult Read(YamlNode? root, string sourceName)
    {
        var reader = new Reader();
        var options = reader.Document(root, sourceName);
        return new PolicyReadResult(options, reader.Errors);
    }

    private sealed class Reader
    {
        private readonly PolicyOptions _options = new();

        public List<PolicyError> Errors { get; } = [];

        public PolicyOptions Document(YamlNode? root, string sourceName)
        {
            if (root is null || IsNull(root))
            {
                return _options;
            }

            if (root is not YamlMappingNode mapping)
            {
                Error(sourceName, root, $"expected a mapping with roles, timeWindows and rules, found {Describe(root)}");
                return _options;
            }

            foreach (var (key, value) in Entries(mapping, ""))
            {
                switch (key)
                {
                    case "roles":
                        Named(value, "roles", "{ supervisors: { groups: [bank-supervisors] } }", (path, node) => _options.Roles[Last(path)] = Subjects(node, path));
                        break;
                    case "timeWindows":
                        Named(value, "timeWindows", "{ business-hours: { timeZone: America/New_York, days: [mon-fri], hours: \"09:00-17:00\" } }",
                            (path, node) => _options.TimeWindows[Last(path)] = Window(node, path));
                        break;
                    case "rules":
                        Rules(value);
                        break;
                    default:
                        Unknown(key, key, value, RootKeys);
                        break;
                }
            }

            return _options;
        }

        private static string Last(string path) => path[(path.IndexOf('.') + 1)..];

        private void Named(YamlNode node, string path, string example, Action<string, YamlNode> read)
        {
            if (IsNull(node) || Mapping(node, path, example) is not { } mapping)
            {
                return;
            }

            foreach (var (name, value) in Entries(mapping, path))
            {
                read(path + "." + name, value);
            }
        }

        private void Rules(YamlNode node)
        {
            if (IsNull(node))
            {
                return;
            }

            if (node is not YamlSequenceNode sequence)
            {
                Error("rules", node, $"expected a list of rules (each starting with \"- id: …\"), found {Describe(node)}");
                return;
            }

            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var path = $"rules[{i}]";
                Locate(path, sequence.Children[i]);
                var rule = new RuleOptions();
                _options.Rules.Add(rule);
                if (Mapping(sequence.Children[i], path, "{ id: analysts-search, effect: allow, subjects: { groups: [analysts] }, targets: { servers: [bank] } }") is { } mapping)
                {
                    Rule(mapping, path, rule);
                }
            }
        }

        private void Rule(YamlMappingNode mapping, string path, RuleOptions rule)
        {
            // The id first, so that problems in fields written above it can name the rule.
            if (mapping.Children.TryGetValue(new YamlScalarNode("id"), out var idNode) && idNode is YamlScalarNode id && !IsNull(id))
            {
                rule.Id = id.Value;
            }

            foreach (var (key, value) in Entries(mapping, path))
            {
                var keyPath = path + "." + key;
                switch (key)
                {
                    case "id": rule.Id = Scalar(value, keyPath, "\"analysts-search-customers\""); break;
                    case "description": rule.Description = Scalar(value, keyPath, "\"Analysts may look customers up\""); break;
                    case "effect": rule.Effect = Scalar(value, keyPath, "allow, deny, approve or grant"); break;
                    case "subjects": rule.Subjects = IsNull(value) ? null : Subjects(value, keyPath); break;
                    case "targets": rule.Targets = IsNull(value) ? null : Targets(value, keyPath); break;
                    case "require": rule.Require = IsNull(value) ? null : Require(value, keyPath); break;
                    case "during": rule.During = Scalar(value, keyPath, "business-hours"); break;
                    case "outside": rule.Outside = Scalar(value, keyPath, "business-hours"); break;
                    case "condition": rule.Condition = Scalar(value, keyPath, "\"args.amount > 10000\""); break;
                    case "message": rule.Message = Scalar(value, keyPath, "\"Transfers above $10,000 need a supervisor's approval.\""); break;
                    case "link": rule.Link = Scalar(value, keyPath, "\"https://wiki.bank.example/access\""); break;
                    case "approval": rule.Approval = IsNull(value) ? null : Approval(value, keyPath); break;
                    default: Unknown(keyPath, key, value, RuleKeys); break;
                }
            }
        }

        private SubjectOptions Subjects(YamlNode node, string path)
        {
            var subjects = new SubjectOptions();
            if (Mapping(node, path, "{ groups: [analysts] } or { everyone: true }") is not { } mapping)
            {
                return subjects;
            }

            foreach (var (key, value) in Entries(mapping, path))
            {
                var keyPath = path + "." + key;
                switch (key)
                {
                    case "everyone": subjects.Everyone = Boolean(value, keyPath) ?? false; break;
                    case "users": subjects.Users = List(value, keyPath, "[\"alice@bank.example\"]"); break;
                    case "groups": subjects.Groups = List(value, keyPath, "[analysts]"); break;
                    case "agentKeys": subjects.AgentKeys = List(value, keyPath, "[nightly-report]"); break;
                    case "roles": subjects.Roles = List(value, keyPath, "[supervisors]"); break;
                    default: Unknown(keyPath, key, value, SubjectKeys); break;
                }
            }

            return subjects;
        }

        private TargetOptions Targets(YamlNode node, string path)
        {
            var targets = new TargetOptions();
            if (Mapping(node, path, "{ servers: [bank], tools: [search_customers] }") is not { } mapping)
            {
                return targets;
            }

            foreach (var (key, value) in Entries(mapping, path))
            {
                var keyPath = path + "." + key;
                switch (key)
                {
                    case "servers": targets.Servers = List(value, keyPath, "[bank]"); break;
                    case "tools": targets.Tools = List(value, keyPath, "[search_customers, \"get_*\"]"); break;
                    case "prompts": targets.Prompts = List(value, keyPath, "[investigate_customer]"); break;
                    case "resources": targets.Resources = List(value, keyPath, "[\"bank://customers/*\"]"); break;
                    default: Unknown(keyPath, key, value, TargetKeys); break;
                }
            }

            return targets;
        }

        private RequirementOptions Require(YamlNode node, string path)
        {
            var require = new RequirementOptions();
            if (Mapping(node, path, "{ mfa: true, maxAuthAge: 15m }") is not { } mapping)
            {
                return require;
            }

            foreach (var (key, value) in Entries(mapping, path))
            {
                var keyPath = path + "." + key;
                switch (key)
                {
                    case "mfa": require.Mfa = Boolean(value, keyPath) ?? false; break;
                    case "amr": require.Amr = List(value, keyPath, "[hwk, otp]"); break;
                    case "acr": require.Acr = List(value, keyPath, "[\"urn:bank:loa:high\"]"); break;
                    case "scopes": require.Scopes = List(value, keyPath, "[bank.payments]"); break;
                    case "maxAuthAge": require.MaxAuthAge = Scalar(value, keyPath, "15m"); break;
                    default: Unknown(keyPath, key, value, RequireKeys); break;
                }
            }

            return require;
        }

        private TimeWindowOptions Window(YamlNode node, string path)
        {
            var window = new TimeWindowOptions();
            if (Mapping(node, path, "{ timeZone: America/New_York, days: [mon-fri], hours: \"09:00-17:00\" }") is not { } mapping)
            {
                return window;
            }

            foreach (var (key, value) in Entries(mapping, path))
            {
                var keyPath = path + "." + key;
                switch (key)
                {
                    case "timeZone": window.TimeZone = Scalar(value, keyPath, "America/New_York"); break;
                    case "days": window.Days = List(value, keyPath, "[mon-fri]"); break;
                    case "hours": window.Hours = Scalar(value, keyPath, "\"09:00-17:00\""); break;
                    default: Unknown(keyPath, key, value, WindowKeys); break;
                }
            }

            return window;
        }

        private ApprovalOptions Approval(YamlNode node, string path)
        {
            var approval = new ApprovalOptions();
            if (Mapping(node, path, "{ approvers: [payments-supervisors], minApprovals: 1 }") is not { } mapping)
            {
                return approval;
            }

            foreach (var (key, value) in Entries(mapping, path))
            {
                var keyPath = path + "." + key;
                switch (key)
                {
                    case "approvers": approval.Approvers = List(value, keyPath, "[payments-supervisors]"); break;
                    case "minApprovals": approval.MinApprovals = Integer(value, keyPath); break;
                    default: Unknown(keyPath, key, value, ApprovalKeys); break;
                }
            }

            return approval;
        }

        private IEnumerable<(string Key, YamlNode Value)> Entries(YamlMappingNode mapping, string path)
        {
            foreach (var (keyNode, value) in mapping.Children)
            {
                if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
                {
                    Error(path.Length == 0 ? "(document)" : path, keyNode, "a key must be a plain name");
                    continue;
                }

                Locate(path.Length == 0 ? key : path + "." + key, value);
                yield return (key, value);
            }
        }

        private YamlMappingNode? Mapping(YamlNode node, string path, string example)
        {
            if (node is YamlMappingNode mapping)
            {
                return mapping;
            }

            Error(path, node, $"expected a mapping, found {Describe(node)}; write e.g. {example}");
            return null;
        }

        private string? Scalar(YamlNode node, string path, string example)
        {
            if (node is YamlScalarNode scalar)
            {
                return IsNull(scalar) ? null : scalar.Value;
            }

            Error(path, node, $"expected one value, found {Describe(node)}; write e.g. {example}");
            return null;
        }

        private List<string> List(YamlNode node, string path, string example)
        {
            if (IsNull(node))
            {
                return [];
            }

            if (node is not YamlSequenceNode sequence)
            {
                Error(path, node, $"expected a list, found {Describe(node)}; write e.g. {example}");
                return [];
            }

            var items = new List<string>();
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var item = sequence.Children[i];
                var itemPath = $"{path}[{i}]";
                Locate(itemPath, item);
                if (item is YamlScalarNode { } scalar && !IsNull(scalar))
                {
                    items.Add(scalar.Value ?? "");
                }
                else
                {
                    Error(itemPath, item, $"expected a name or pattern, found {Describe(item)}");
                }
            }

            return items;
        }

        private bool? Boolean(YamlNode node, string path)
        {
            if (node is YamlScalarNode { Value: "true" or "false" } scalar && scalar.Style is ScalarStyle.Plain or ScalarStyle.Any)
            {
                return scalar.Value == "true";
            }

            Error(path, node, $"expected true or false, found {Describe(node)}");
            return null;
        }

        private int? Integer(YamlNode node, string path)
        {
            if (node is YamlScalarNode scalar && int.TryParse(scalar.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Error(path, node, $"expected a whole number such as 2, found {Describe(node)}");
            return null;
        }

        private void Unknown(string path, string key, YamlNode value, string[] known)
        {
            Error(path, value, $"unknown key \"{key}\"" + Suggestions.DidYouMean(key, known) + "; known keys here: " + string.Join(", ", known));
        }

        private void Locate(string path, YamlNode node) => _options.Locations[path] = new SourceLocation(node.Start.Line, node.Start.Column);

        private void Error(string path, YamlNode node, string message) => Errors.Add(PathError(path, message, new SourceLocation(node.Start.Line, node.Start.Column)));

        /// <summary>Errors inside a rule carry its index (and id, once known), like the builder's.</summary>
        private PolicyError PathError(string path, string message, SourceLocation location)
        {
            if (path.StartsWith("rules[", StringComparison.Ordinal) && path.IndexOf(']') is var close and > 6
                && int.TryParse(path.AsSpan(6, close - 6), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            {
                var field = close + 1 < path.Length ? path[(close + 2)..] : "";
                var id = index < _options.Rules.Count ? _options.Rules[index].Id : null;
                return new PolicyError(path, message) { RuleIndex = index, RuleId = id, Field = field, Location = location };
            }

            return new PolicyError(path, message) { Location = location };
        }

        private static bool IsNull(YamlNode node) =>
            node is YamlScalarNode scalar && scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

        private static string Describe(YamlNode node) => node switch
        {
            YamlMappingNode => "a mapping",
            YamlSequenceNode => "a list",
            YamlScalarNode scalar when IsNull(scalar) => "nothing",
            YamlScalarNode scalar => $"\"{scalar.Value}\"",
            _ => "an alias",
        };
    }
}
