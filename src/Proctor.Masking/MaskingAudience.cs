using System.Collections.Frozen;

namespace Proctor.Masking;

/// <summary>
/// Who will see the masked payload. A rule's <c>revealTo</c> groups see its values unmasked only when
/// they are the audience. Anything stored (audit events, recordings, logs, evidence) MUST be masked
/// for <see cref="Storage"/>, which reveals nothing.
/// </summary>
public sealed class MaskingAudience
{
    private readonly FrozenSet<string> _groups;

    private MaskingAudience(FrozenSet<string> groups) => _groups = groups;

    /// <summary>No groups: every rule masks. Use for everything that is stored or logged.</summary>
    public static MaskingAudience Storage { get; } = new(FrozenSet<string>.Empty);

    /// <summary>The caller of a call, for masking the response delivered to that caller only.</summary>
    public static MaskingAudience Caller(IEnumerable<string> groups) =>
        new(groups.ToFrozenSet(StringComparer.Ordinal));

    internal bool MayReveal(IReadOnlyList<string> revealTo)
    {
        if (_groups.Count == 0)
        {
            return false;
        }

        foreach (var group in revealTo)
        {
            if (_groups.Contains(group))
            {
                return true;
            }
        }

        return false;
    }
}
