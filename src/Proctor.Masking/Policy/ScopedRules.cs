using System.Collections.Frozen;
using Proctor.Masking.Detection;

namespace Proctor.Masking.Policy;

/// <summary>
/// The rules in force for one scope (all servers, one server, or one tool), with the narrower scope's
/// rules already laid over the broader ones, so a call does one lookup per value.
/// </summary>
internal sealed class ScopedRules
{
    private readonly FrozenDictionary<string, MaskingRule> _byEntity;
    private readonly FrozenDictionary<string, MaskingRule>.AlternateLookup<ReadOnlySpan<char>> _byField;
    private readonly (string[] Segments, MaskingRule Rule)[] _byPath;

    public ScopedRules(IEnumerable<string> entities, IEnumerable<IReadOnlyList<MaskingRule>> broadestFirst)
    {
        var byEntity = entities.ToDictionary(e => e, DefaultStrategies.For, StringComparer.Ordinal);
        var byField = new Dictionary<string, MaskingRule>(StringComparer.Ordinal);
        var byPath = new Dictionary<string, (string[], MaskingRule)>(StringComparer.Ordinal);
        foreach (var rules in broadestFirst)
        {
            foreach (var rule in rules)
            {
                if (rule.Entity is { } entity)
                {
                    byEntity[entity] = rule;
                }

                if (rule.Field is { } field)
                {
                    byField[FieldNames.Normalize(field)] = rule;
                }

                if (rule.Path is { } path)
                {
                    var segments = path.Split('.').Select(segment => FieldNames.Normalize(segment)).ToArray();
                    byPath[string.Join('.', segments)] = (segments, rule);
                }
            }
        }

        _byEntity = byEntity.ToFrozenDictionary(StringComparer.Ordinal);
        _byField = byField.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _byPath = byPath.Values.ToArray();
        HasFieldRules = byField.Count > 0;
    }

    public bool HasFieldRules { get; }
    public bool HasPathRules => _byPath.Length > 0;

    public MaskingRule ForEntity(string entity) => _byEntity[entity];

    /// <summary>
    /// Whether a field or path rule that masks (any strategy but none) could take the whole value of a
    /// field with this name, whatever its path; with no name, whether any such rule exists. Schema adjustment asks (decision 0014).
    /// </summary>
    public bool WholeValueRuleMayReach(string? name)
    {
        var normalized = name is null ? null : FieldNames.Normalize(name);
        foreach (var (field, rule) in _byField.Dictionary)
        {
            if (rule.Strategy != MaskingStrategy.None && (normalized is null || field == normalized))
            {
                return true;
            }
        }

        foreach (var (segments, rule) in _byPath)
        {
            if (rule.Strategy != MaskingStrategy.None && (normalized is null || segments[^1] == normalized))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The whole-value rule for a field, by its normalized name or by the normalized path ending in it.</summary>
    public MaskingRule? ForField(ReadOnlySpan<char> normalizedName, IReadOnlyList<string>? normalizedPath)
    {
        if (HasFieldRules && _byField.TryGetValue(normalizedName, out var rule))
        {
            return rule;
        }

        if (normalizedPath is null)
        {
            return null;
        }

        foreach (var (segments, pathRule) in _byPath)
        {
            if (EndsWith(normalizedPath, segments))
            {
                return pathRule;
            }
        }

        return null;
    }

    private static bool EndsWith(IReadOnlyList<string> path, string[] segments)
    {
        if (segments.Length > path.Count)
        {
            return false;
        }

        var offset = path.Count - segments.Length;
        for (var i = 0; i < segments.Length; i++)
        {
            if (!string.Equals(path[offset + i], segments[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
