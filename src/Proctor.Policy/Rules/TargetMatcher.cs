using Proctor.Policy.Decisions;

namespace Proctor.Policy.Rules;

/// <summary>
/// Servers and names a rule covers. A kind whose list is null is not covered, unless every kind's
/// list is null: then the rule covers the whole server. Deny rules hold folded globs and are asked
/// with folded names (<see cref="NameFold"/>).
/// </summary>
internal sealed class TargetMatcher(Glob[] servers, Glob[]? tools, Glob[]? prompts, Glob[]? resources)
{
    public Glob[] Servers { get; } = servers;

    public bool WholeServer => tools is null && prompts is null && resources is null;

    /// <summary><paramref name="server"/> and <paramref name="name"/> folded when the globs are.</summary>
    public bool Matches(string server, TargetKind kind, string name)
    {
        if (!AnyMatches(Servers, server))
        {
            return false;
        }

        if (WholeServer)
        {
            return true;
        }

        var globs = kind switch
        {
            TargetKind.Tool => tools,
            TargetKind.Prompt => prompts,
            TargetKind.Resource => resources,
            _ => null,
        };
        return globs is not null && AnyMatches(globs, name);
    }

    public bool MatchesServer(string server) => AnyMatches(Servers, server);

    private static bool AnyMatches(Glob[] globs, string value)
    {
        foreach (var glob in globs)
        {
            if (glob.Matches(value))
            {
                return true;
            }
        }

        return false;
    }
}
