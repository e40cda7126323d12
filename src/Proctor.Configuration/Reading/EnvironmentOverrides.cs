using System.Globalization;
using Proctor.Configuration.Binding;
using Proctor.Configuration.Models.Schema;
using Proctor.Configuration.Options;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Proctor.Configuration.Reading;

/// <summary>
/// Applies <c>PROCTOR__SECTION__KEY=value</c> environment variables to the YAML tree before it is
/// bound, so an override is checked exactly like the file: <c>__</c> separates nesting levels, keys
/// match ignoring case, list entries are set by index (<c>PROCTOR__GATEWAY__ALLOWEDORIGINS__0</c>),
/// and the value is taken as a quoted string. Entries of lists of mappings are addressed by index too
/// (<c>PROCTOR__MASKING__RULES__0__STRATEGY</c>). Map keys follow the map's
/// <see cref="SettingAttribute.OverrideKeys"/>: in upstream and header names <c>_</c> stands for
/// <c>-</c> (<c>PROCTOR__UPSTREAMS__CORE_BANKING__HEADERS__X_API_KEY</c> sets the <c>X-Api-Key</c>
/// header of <c>core-banking</c>), since shell variable names cannot hold a hyphen. The walk follows
/// the same <see cref="ObjectSchema"/> as binding, so a new key can be overridden as soon as it exists.
/// </summary>
internal static class EnvironmentOverrides
{
    public const string Prefix = "PROCTOR__";
    private const string Separator = "__";

    /// <summary>
    /// Returns the tree with overrides applied. Mappings and lists on the path to an overridden key
    /// are copied before they change, so a node shared through a YAML alias changes only where the
    /// variable says, and the file's own nodes keep their line numbers. <paramref name="origins"/>
    /// receives the key path each variable set, to name the variable in messages about that key.
    /// </summary>
    public static YamlNode? Apply(YamlNode? root, IReadOnlyDictionary<string, string> environment, List<ConfigurationError> errors, Dictionary<string, string> origins)
    {
        var overrides = environment
            .Where(variable => variable.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(variable => variable.Key, StringComparer.Ordinal)
            .ToList();
        if (overrides.Count == 0 || (root is not null && !YamlNodes.IsNull(root) && root is not YamlMappingNode))
        {
            return root; // the binder reports a root that is not a mapping
        }

        var tree = root is YamlMappingNode mapping ? new YamlMappingNode(mapping.Children) : new YamlMappingNode();
        var rootShape = new Shape(ShapeKind.Object, typeof(ProctorOptions), new(ProctorOptions.RootWhat, ""), Object: ObjectSchema.Of<ProctorOptions>());
        foreach (var (name, value) in overrides)
        {
            var segments = name[Prefix.Length..].Split(Separator);
            if (segments.Any(segment => segment.Length == 0))
            {
                errors.Add(new ConfigurationError(name, "is not a configuration key; separate nested keys with \"__\" and nothing else, e.g. PROCTOR__UPSTREAMS__CRM__URL"));
            }
            else if (Set(tree, rootShape, segments, value, name, errors, origins) is { } path)
            {
                origins[path] = name;
            }
        }

        return tree;
    }

    /// <summary>Sets one value; sections it had to create are added to <paramref name="created"/>, so errors about them name the variable too.</summary>
    private static string? Set(YamlMappingNode root, Shape rootShape, string[] segments, string value, string variable, List<ConfigurationError> errors, Dictionary<string, string> created)
    {
        YamlNode node = root;
        Shape? shape = rootShape;
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
                if (shape?.Item is { Kind: ShapeKind.Object, Object: { } entrySchema } entry)
                {
                    if (last)
                    {
                        var example = shape.Setting.OverrideExample ?? entrySchema.Keys[0].ToUpperInvariant();
                        errors.Add(new ConfigurationError(path, $"{variable} sets the whole entry {path}; set one of its keys, e.g. {variable}{Separator}{example}"));
                        return null;
                    }

                    if (Entry(sequence, index, path, variable, created) is not { } mappingEntry)
                    {
                        errors.Add(new ConfigurationError(path, $"{variable} sets a key inside {path}, which holds a single value; write the entry as a mapping in the file"));
                        return null;
                    }

                    (node, shape) = (mappingEntry, entry);
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
            var (existing, key, childShape) = Resolve(shape, mapping, segments[i]);
            YamlNode keyNode = existing ?? new YamlScalarNode(key);
            path = KeyPath.Child(path, key);
            if (last)
            {
                mapping.Children[keyNode] = leaf;
                return path;
            }

            mapping.Children.TryGetValue(keyNode, out var child);
            if (child is null || YamlNodes.IsNull(child))
            {
                child = childShape?.Kind == ShapeKind.List ? new YamlSequenceNode() : new YamlMappingNode();
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

            (node, shape) = (child, childShape);
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
            case var other when YamlNodes.IsNull(other):
                var filled = new YamlMappingNode();
                sequence.Children[index] = filled;
                created.TryAdd(path, variable);
                return filled;
            default:
                return null;
        }
    }

    /// <summary>The key as it is (<c>Existing</c>) or should be spelled in the file, and the shape of what it holds (null: not a known key).</summary>
    private static (YamlScalarNode? Existing, string Key, Shape? Shape) Resolve(Shape? shape, YamlMappingNode mapping, string segment)
    {
        var keys = shape?.Kind == ShapeKind.Map ? shape.Setting.OverrideKeys : OverrideKeys.AsWritten;
        var hyphens = keys is OverrideKeys.Hyphens or OverrideKeys.LowerHyphens;
        var existing = mapping.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(candidate =>
            (candidate.Value ?? "").Equals(segment, StringComparison.OrdinalIgnoreCase)
            || (hyphens && (candidate.Value ?? "").Replace('-', '_').Equals(segment, StringComparison.OrdinalIgnoreCase)));
        if (shape?.Kind == ShapeKind.Map)
        {
            var key = existing?.Value ?? keys switch
            {
                OverrideKeys.Hyphens => segment.Replace('_', '-'),
                OverrideKeys.LowerHyphens => segment.ToLowerInvariant().Replace('_', '-'),
                OverrideKeys.Lower => segment.ToLowerInvariant(),
                _ => segment,
            };
            return (existing, key, shape.Item);
        }

        var member = shape?.Object?.FindIgnoringCase(existing?.Value ?? segment);
        return (existing, existing?.Value ?? member?.Key ?? segment, member?.Shape);
    }
}
