using Proctor.Policy.Conditions.Syntax;

namespace Proctor.Policy.Conditions.Checking;

/// <summary>
/// A field of the call's arguments that a condition reads by a fixed name (<c>args.amount</c>,
/// <c>args.account.id</c>, <c>args['memo']</c>), so that the host can check it against the tool's
/// <c>inputSchema</c>. Reads through a computed key or a loop variable are not paths.
/// </summary>
internal sealed record ArgumentPath(IReadOnlyList<string> Segments, int Position)
{
    public override string ToString() => "args." + string.Join('.', Segments);

    public static ArgumentPath? Of(CelAst ast, IReadOnlyList<string> scope)
    {
        var segments = new List<string>();
        var at = ast;
        while (true)
        {
            switch (at)
            {
                case SelectAst select:
                    segments.Add(select.Field);
                    at = select.Operand;
                    continue;
                case IndexAst { Index: LiteralAst { Value.Kind: CelKind.String } key } index:
                    segments.Add(key.Value.AsString);
                    at = index.Operand;
                    continue;
                case IdentAst { Name: "args" } when !scope.Contains("args"):
                    segments.Reverse();
                    return new ArgumentPath(segments, ast.Position);
                default:
                    return null;
            }
        }
    }

    /// <summary>Drops paths that another one extends (<c>args.a</c> beside <c>args.a.b</c>) and duplicates.</summary>
    public static IReadOnlyList<ArgumentPath> Longest(List<ArgumentPath> paths)
    {
        var kept = new List<ArgumentPath>();
        foreach (var path in paths)
        {
            var covered = false;
            foreach (var other in paths)
            {
                if (!ReferenceEquals(path, other) && IsPrefix(path.Segments, other.Segments) && (other.Segments.Count > path.Segments.Count || paths.IndexOf(other) < paths.IndexOf(path)))
                {
                    covered = true;
                    break;
                }
            }

            if (!covered)
            {
                kept.Add(path);
            }
        }

        return kept;
    }

    private static bool IsPrefix(IReadOnlyList<string> prefix, IReadOnlyList<string> path)
    {
        if (prefix.Count > path.Count)
        {
            return false;
        }

        for (var i = 0; i < prefix.Count; i++)
        {
            if (!string.Equals(prefix[i], path[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
