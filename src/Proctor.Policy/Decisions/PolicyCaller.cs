using Proctor.Policy.Conditions;

namespace Proctor.Policy.Decisions;

/// <summary>
/// Who is calling, as the host established it: subject, groups, roles and the facts of the token.
/// The host builds one per verified identity (it may keep it for the session); the policy only
/// reads it. <see cref="AgentKey"/> is the agent key's name for callers that used one.
/// </summary>
public sealed class PolicyCaller(string subject)
{
    private CelValue[]? _groups;
    private CelValue[]? _roles;
    private CelValue[]? _scopes;
    private CelValue[]? _amr;
    private int _multiFactor; // 0 not yet known, 1 no, 2 yes: an int so that concurrent readers never see half a write

    /// <summary>A caller with no identity: matches only rules for <c>everyone</c>.</summary>
    public static PolicyCaller Anonymous { get; } = new("anonymous") { Method = "none" };

    /// <summary>The subject id (<c>sub</c>), ordinal; agent keys give <c>agent:NAME</c>.</summary>
    public string Subject { get; } = subject;

    public string? Issuer { get; init; }

    /// <summary>How the caller proved its identity to the gateway: <c>oidc</c>, <c>agent-key</c>, or <c>none</c>.</summary>
    public string Method { get; init; } = "oidc";

    /// <summary>The agent key's name when <see cref="Method"/> is <c>agent-key</c>, else null.</summary>
    public string? AgentKey { get; init; }

    /// <summary>Identity-provider groups (or an agent key's groups).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Roles the host grants (e.g. <c>identity.roles</c>); roles the policy defines are added by the policy itself.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>OAuth scopes the token grants.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>How the caller signed in to its identity provider (<c>amr</c>, RFC 8176).</summary>
    public IReadOnlyList<string> AuthenticationMethods { get; init; } = [];

    /// <summary>The authentication context class (<c>acr</c>).</summary>
    public string? AuthenticationContext { get; init; }

    /// <summary>When the caller signed in (<c>auth_time</c>); null when the token does not say.</summary>
    public DateTimeOffset? AuthenticatedAt { get; init; }

    /// <summary>Whether <see cref="AuthenticationMethods"/> show more than one factor (see <see cref="MultiFactor"/>).</summary>
    public bool UsedMultipleFactors
    {
        get
        {
            if (_multiFactor == 0)
            {
                _multiFactor = MultiFactor.IsMultiFactor(AuthenticationMethods) ? 2 : 1;
            }

            return _multiFactor == 2;
        }
    }

    /// <summary>Seconds since sign-in at <paramref name="at"/>, or null when unknown.</summary>
    public long? AuthenticationAgeSeconds(DateTimeOffset at) =>
        AuthenticatedAt is { } signedIn ? (long)Math.Floor((at - signedIn).TotalSeconds) : null;

    internal CelValue GroupsValue => CelValue.List(_groups ??= Strings(Groups));

    internal CelValue RolesValue => CelValue.List(_roles ??= Strings(Roles));

    internal CelValue ScopesValue => CelValue.List(_scopes ??= Strings(Scopes));

    internal CelValue AmrValue => CelValue.List(_amr ??= Strings(AuthenticationMethods));

    private static CelValue[] Strings(IReadOnlyList<string> items)
    {
        var values = new CelValue[items.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = CelValue.String(items[i]);
        }

        return values;
    }
}

/// <summary>Whether a token's <c>amr</c> shows multi-factor authentication.</summary>
public static class MultiFactor
{
    /// <summary>
    /// RFC 8176 values that are a second factor by themselves; "mfa" says several were used.
    /// Two different methods of any kind (e.g. pwd and sms) also count as multiple factors.
    /// </summary>
    private static readonly HashSet<string> MultiFactorMethods = new(["mfa", "otp", "hwk", "swk", "sc", "fpt", "face", "iris", "retina", "vbm"], StringComparer.Ordinal);

    public static bool IsMultiFactor(IReadOnlyList<string> methods)
    {
        string? first = null;
        foreach (var method in methods)
        {
            if (MultiFactorMethods.Contains(method))
            {
                return true;
            }

            if (first is null)
            {
                first = method;
            }
            else if (!string.Equals(first, method, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
