using Proctor.Policy.Options;

namespace Proctor.Policy.Building;

/// <summary>Collects every problem, each with the line and column of its field (or of the nearest enclosing one written).</summary>
internal sealed class ErrorSink(IReadOnlyDictionary<string, SourceLocation> locations)
{
    public List<PolicyError> Errors { get; } = [];

    public void Add(string path, string message) => Errors.Add(new PolicyError(path, message) { Location = Locate(path) });

    public void AddRule(RuleScope rule, string field, string message)
    {
        var path = field.Length == 0 ? rule.Path : rule.Path + (field[0] == '[' ? "" : ".") + field;
        Errors.Add(new PolicyError(path, message) { RuleIndex = rule.Index, RuleId = rule.Id, Field = field, Location = Locate(path) });
    }

    public SourceLocation? Locate(string path)
    {
        while (path.Length > 0)
        {
            if (locations.TryGetValue(path, out var location))
            {
                return location;
            }

            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            if (cut <= 0)
            {
                break;
            }

            path = path[..cut];
        }

        return null;
    }
}

/// <summary>The rule a problem belongs to: its position, its id (when valid) and its key path.</summary>
internal readonly record struct RuleScope(int Index, string? Id)
{
    public string Path => $"rules[{Index}]";
}
