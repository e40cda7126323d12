using System.Collections.Frozen;
using Proctor.Policy.Decisions;

namespace Proctor.Policy.Rules;

internal enum RequirementFailure
{
    None,
    Mfa,
    Amr,
    Acr,
    Scopes,
    AuthenticationAge,
}

/// <summary>Facts an allow or approve rule needs from the caller's token; all must hold.</summary>
internal sealed class Requirements(bool mfa, string[] amr, FrozenSet<string> acr, string[] scopes, TimeSpan? maxAuthAge)
{
    public string[] Scopes { get; } = scopes;

    public string[] Amr { get; } = amr;

    public IReadOnlyCollection<string> Acr { get; } = acr;

    public TimeSpan? MaxAuthAge { get; } = maxAuthAge;

    public bool Mfa { get; } = mfa;

    public RequirementFailure Check(PolicyCaller caller, DateTimeOffset at)
    {
        if (Mfa && !caller.UsedMultipleFactors)
        {
            return RequirementFailure.Mfa;
        }

        if (Amr.Length > 0 && !HoldsAny(caller.AuthenticationMethods, Amr))
        {
            return RequirementFailure.Amr;
        }

        if (acr.Count > 0 && (caller.AuthenticationContext is not { } context || !acr.Contains(context)))
        {
            return RequirementFailure.Acr;
        }

        for (var i = 0; i < Scopes.Length; i++)
        {
            if (!Holds(caller.Scopes, Scopes[i]))
            {
                return RequirementFailure.Scopes;
            }
        }

        if (MaxAuthAge is { } limit && (caller.AuthenticatedAt is not { } signedIn || at - signedIn > limit))
        {
            return RequirementFailure.AuthenticationAge;
        }

        return RequirementFailure.None;
    }

    private static bool HoldsAny(IReadOnlyList<string> held, string[] wanted)
    {
        foreach (var value in wanted)
        {
            if (Holds(held, value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Holds(IReadOnlyList<string> held, string value)
    {
        for (var i = 0; i < held.Count; i++)
        {
            if (string.Equals(held[i], value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
