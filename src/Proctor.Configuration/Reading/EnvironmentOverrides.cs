using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Proctor.Configuration.Reading;

/// <summary>
/// Applies <c>PROCTOR__SECTION__KEY=value</c> environment variables to the YAML tree before it is
/// read, so an override is checked exactly like the file: <c>__</c> separates nesting levels, keys
/// match ignoring case, list entries are set by index (<c>PROCTOR__GATEWAY__ALLOWEDORIGINS__0</c>),
/// and the value is taken as a quoted string. Entries of lists of mappings are addressed by index too
/// (<c>PROCTOR__MASKING__RULES__0__STRATEGY</c>). In upstream and header names, <c>_</c> stands for
/// <c>-</c> (<c>PROCTOR__UPSTREAMS__CORE_BANKING__HEADERS__X_API_KEY</c> sets the <c>X-Api-Key</c>
/// header of <c>core-banking</c>), since shell variable names cannot hold a hyphen.
/// </summary>
internal static class EnvironmentOverrides
{
    public const string Prefix = "PROCTOR__";
    private const string Separator = "__";

    private enum Section
    {
        Root,
        Gateway,
        Logging,
        Storage,
        OAuth,
        Identity,
        Roles,
        Upstreams,
        Upstream,
        Restart,
        Variables,
        Headers,
        List,
        Value,
        Masking,
        MaskingRules,
        MaskingRule,
        MaskingOverrides,
        MaskingOverride,
        CustomPatterns,
        CustomPattern,
        DenyLists,
        DenyList,
    }

    /// <summary>Lists whose entries are mappings, and what each entry holds; every other list holds single values.</summary>
    private static readonly Dictionary<Section, Section> EntryOf = new()
    {
        [Section.MaskingRules] = Section.MaskingRule,
        [Section.MaskingOverrides] = Section.MaskingOverride,
        [Section.CustomPatterns] = Section.CustomPattern,
        [Section.DenyLists] = Section.DenyList,
    };

    /// <summary>
    /// Returns the tree with overrides applied. Mappings and lists on the path to an overridden key
    /// are copied before they change, so a node shared through a YAML alias changes only where the
    /// variable says, and the file's own nodes keep their line numbers. <paramref name="origins"/>
    /// receives the key path each variable set, to name the variable in messages about that key.
    /// </summary>
    public static YamlNode? Apply(
        YamlNode? root,
        IReadOnlyDictionary<string, string> environment,
        List<ConfigurationError> errors,
        Dictionary<string, string> origins)
    {
        var overrides = environment
            .Where(variable => variable.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(variable => variable.Key, StringComparer.Ordinal)
            .ToList();
        if (overrides.Count == 0)
        {
            return root;
        }

        if (root is not null && !IsNull(root) && root is not YamlMappingNode)
        {
            return root; // the binder reports a root that is not a mapping
        }

        var tree = root is YamlMappingNode mapping ? new YamlMappingNode(mapping.Children) : new YamlMappingNode();
        foreach (var (name, value) in overrides)
        {
            var segments = name[Prefix.Length..].Split(Separator);
            if (segments.Any(segment => segment.Length == 0))
            {
                errors.Add(new ConfigurationError(
                    name,
                    "is not a configuration key; separate nested keys with \"__\" and nothing else, e.g. PROCTOR__UPSTREAMS__CRM__URL"));
                continue;
            }

            var path = Set(tree, segments, value, name, errors, created: origins);
            if (path is not null)
            {
                origins[path] = name;
            }
        }

        return tree;
    }

    /// <summary>Sets one value; sections it had to create are added to <paramref name="created"/>, so errors about them name the variable too.</summary>
    private static string? Set(YamlMappingNode root, string[] segments, string value, string variable, List<ConfigurationError> errors, Dictionary<string, string> created)
    {
        YamlNode node = root;
        var section = Section.Root;
        var path = "";
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            var leaf = new YamlScalarNode(value) { Style = ScalarStyle.DoubleQuoted };
            if (node is YamlSequenceNode sequence)
            {
                if (!int.TryParse(segments[i], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    errors.Add(new ConfigurationError(path, $"{variable} must give a list index after {path}, e.g. {Prefix}GATEWAY__ALLOWEDORIGINS__0"));
                    return null;
                }

                if (index > sequence.Children.Count)
                {
                    errors.Add(new ConfigurationError(path, $"{variable} skips entries: the list has {sequence.Children.Count}; use index {sequence.Children.Count} to add one"));
                    return null;
                }

                path = KeyPath.Item(path, index);
                if (EntryOf.TryGetValue(section, out var entrySection))
                {
                    if (last)
                    {
                        errors.Add(new ConfigurationError(path, $"{variable} sets the whole entry {path}; set one of its keys, e.g. {variable}{Separator}{EntryExample(entrySection)}"));
                        return null;
                    }

                    if (Entry(sequence, index, path, variable, created) is not { } entry)
                    {
                        errors.Add(new ConfigurationError(path, $"{variable} sets a key inside {path}, which holds a single value; write the entry as a mapping in the file"));
                        return null;
                    }

                    node = entry;
                    section = entrySection;
                    continue;
                }

                if (!last)
                {
                    errors.Add(new ConfigurationError(path, $"{variable} sets a key inside {path}, which holds a single value; end the variable name at the index"));
                    return null;
                }

                if (index == sequence.Children.Count)
                {
                    sequence.Children.Add(leaf);
                }
                else
                {
                    sequence.Children[index] = leaf;
                }

                return path;
            }

            var mapping = (YamlMappingNode)node;
            var existing = mapping.Children.Keys
                .OfType<YamlScalarNode>()
                .FirstOrDefault(candidate => Matches(section, candidate.Value ?? "", segments[i]));
            var (key, childSection) = Resolve(section, segments[i], existing?.Value);
            YamlNode keyNode = existing ?? new YamlScalarNode(key);
            path = KeyPath.Child(path, key);
            if (last)
            {
                mapping.Children[keyNode] = leaf;
                return path;
            }

            mapping.Children.TryGetValue(keyNode, out var child);
            if (child is null || IsNull(child))
            {
                child = childSection == Section.List || EntryOf.ContainsKey(childSection) ? new YamlSequenceNode() : new YamlMappingNode();
                mapping.Children[keyNode] = child;
                created.TryAdd(path, variable);
            }
            else if (child is YamlScalarNode)
            {
                errors.Add(new ConfigurationError(path, $"{variable} sets a key inside {path}, which holds a single value; use {Prefix}{string.Join(Separator, segments[..(i + 1)])}"));
                return null;
            }
            else
            {
                child = child switch
                {
                    YamlMappingNode shared => new YamlMappingNode(shared.Children),
                    YamlSequenceNode shared => new YamlSequenceNode(shared.Children),
                    _ => child,
                };
                mapping.Children[keyNode] = child;
            }

            node = child;
            section = childSection;
        }

        return path;
    }

    /// <summary>The mapping at <paramref name="index"/>, copied before it changes, or a new one at the end; null when the entry is a single value.</summary>
    private static YamlMappingNode? Entry(YamlSequenceNode sequence, int index, string path, string variable, Dictionary<string, string> created)
    {
        if (index == sequence.Children.Count)
        {
            var added = new YamlMappingNode();
            sequence.Children.Add(added);
            created.TryAdd(path, variable);
            return added;
        }

        switch (sequence.Children[index])
        {
            case YamlMappingNode shared:
                var copy = new YamlMappingNode(shared.Children);
                sequence.Children[index] = copy;
                return copy;
            case var other when IsNull(other):
                var filled = new YamlMappingNode();
                sequence.Children[index] = filled;
                created.TryAdd(path, variable);
                return filled;
            default:
                return null;
        }
    }

    private static string EntryExample(Section entry) => entry switch
    {
        Section.MaskingOverride => "SERVER",
        Section.CustomPattern or Section.DenyList => "NAME",
        _ => "STRATEGY",
    };

    /// <summary>The key as it is (<paramref name="existing"/>) or should be spelled in the file, and what it holds.</summary>
    private static (string Key, Section Section) Resolve(Section section, string segment, string? existing)
    {
        return section switch
        {
            Section.Root => Known(ConfigurationKeys.Root, existing, segment, key => key switch
            {
                "gateway" => Section.Gateway,
                "logging" => Section.Logging,
                "storage" => Section.Storage,
                "identity" => Section.Identity,
                "masking" => Section.Masking,
                "upstreams" => Section.Upstreams,
                _ => Section.Value,
            }),
            Section.Gateway => Known(ConfigurationKeys.Gateway, existing, segment, key => key == "allowedOrigins" ? Section.List : Section.Value),
            Section.Logging => Known(ConfigurationKeys.Logging, existing, segment, _ => Section.Value),
            Section.Storage => Known(ConfigurationKeys.Storage, existing, segment, _ => Section.Value),
            Section.OAuth => Known(ConfigurationKeys.OAuth, existing, segment, _ => Section.Value),
            Section.Identity => Known(ConfigurationKeys.Identity, existing, segment, key => key switch
            {
                "issuers" or "algorithms" or "scopesSupported" => Section.List,
                "issuerKeys" => Section.Variables,
                "roles" => Section.Roles,
                _ => Section.Value,
            }),
            Section.Upstream => Known(ConfigurationKeys.Upstream, existing, segment, key => key switch
            {
                "args" => Section.List,
                "env" => Section.Variables,
                "headers" => Section.Headers,
                "restart" => Section.Restart,
                "oauth" => Section.OAuth,
                "requiredScopes" => Section.List,
                _ => Section.Value,
            }),
            Section.Restart => Known(ConfigurationKeys.Restart, existing, segment, _ => Section.Value),
            Section.Masking => Known(ConfigurationKeys.Masking, existing, segment, key => key switch
            {
                "rules" => Section.MaskingRules,
                "overrides" => Section.MaskingOverrides,
                "customPatterns" => Section.CustomPatterns,
                "denyLists" => Section.DenyLists,
                _ => Section.Value,
            }),
            Section.MaskingRule => Known(ConfigurationKeys.MaskingRule, existing, segment, key => key == "revealTo" ? Section.List : Section.Value),
            Section.MaskingOverride => Known(ConfigurationKeys.MaskingOverride, existing, segment, key => key == "rules" ? Section.MaskingRules : Section.Value),
            Section.CustomPattern => Known(ConfigurationKeys.CustomPattern, existing, segment, _ => Section.Value),
            Section.DenyList => Known(ConfigurationKeys.DenyList, existing, segment, key => key == "terms" ? Section.List : Section.Value),

            // Upstream names are lower case with hyphens; variable names are upper case with underscores.
            Section.Upstreams => (existing ?? segment.ToLowerInvariant().Replace('_', '-'), Section.Upstream),
            Section.Headers => (existing ?? segment.Replace('_', '-'), Section.Value),
            Section.Variables => (existing ?? segment, Section.Value),
            Section.Roles => (existing ?? segment.ToLowerInvariant(), Section.List),
            _ => (existing ?? segment, Section.Value),
        };
    }

    private static (string Key, Section Section) Known(string[] keys, string? existing, string segment, Func<string, Section> sectionOf)
    {
        var key = existing ?? ConfigurationKeys.Canonical(keys, segment) ?? segment;
        return (key, sectionOf(key));
    }

    private static bool Matches(Section section, string key, string segment) =>
        key.Equals(segment, StringComparison.OrdinalIgnoreCase)
        || (section is Section.Headers or Section.Upstreams && key.Replace('-', '_').Equals(segment, StringComparison.OrdinalIgnoreCase));

    private static bool IsNull(YamlNode node) => node is YamlScalarNode scalar && OptionsBinder.IsNull(scalar);
}
