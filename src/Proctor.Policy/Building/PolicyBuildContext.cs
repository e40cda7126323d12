using Proctor.Policy.Options;
using Proctor.Policy.Rules;

namespace Proctor.Policy.Building;

/// <summary>What rules are checked against: the document's valid roles and time windows, the host's roles, and the error list.</summary>
internal sealed class PolicyBuildContext(ErrorSink errors, IReadOnlyCollection<string> hostRoles)
{
    public ErrorSink Errors { get; } = errors;

    public IReadOnlyCollection<string> HostRoles { get; } = hostRoles;

    public Dictionary<string, SubjectOptions> Roles { get; } = new(StringComparer.Ordinal);

    /// <summary>Roles that failed validation: rules naming them are not reported again.</summary>
    public HashSet<string> InvalidRoles { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, TimeWindow> Windows { get; } = new(StringComparer.Ordinal);

    public HashSet<string> InvalidWindows { get; } = new(StringComparer.Ordinal);
}
