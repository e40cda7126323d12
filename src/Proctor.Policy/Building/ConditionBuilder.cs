using Proctor.Policy.Conditions;
using Proctor.Policy.Conditions.Checking;

namespace Proctor.Policy.Building;

/// <summary>Compiles a rule's <c>condition</c>; each problem names the character it is at.</summary>
internal static class ConditionBuilder
{
    public static CelCondition? Build(string? source, FieldReporter report, out bool ok)
    {
        ok = true;
        if (source is null)
        {
            return null;
        }

        var (condition, errors) = CelCompiler.Compile(source);
        foreach (var error in errors)
        {
            report.Report("condition", $"{Where(source, error.Position)}: {error.Message}");
            ok = false;
        }

        return condition;
    }

    /// <summary>"at character 12 (near 'startswith')" — 1-based, with a short excerpt so the reader can find it.</summary>
    private static string Where(string source, int position)
    {
        var excerpt = position < source.Length ? source.Substring(position, Math.Min(20, source.Length - position)).Split('\n')[0] : "";
        return excerpt.Length == 0 ? $"at character {position + 1} (the end)" : $"at character {position + 1} (near '{excerpt}')";
    }
}
