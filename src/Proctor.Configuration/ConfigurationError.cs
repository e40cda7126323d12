namespace Proctor.Configuration;

/// <summary>
/// One problem found while loading the configuration. <see cref="Key"/> is the full key path
/// (<c>upstreams.crm.timeout</c>, <c>gateway.allowedOrigins[0]</c>), or the file name for problems
/// that belong to no key (YAML syntax, unreadable file). <see cref="Message"/> says what is wrong and
/// what would work. Neither ever contains a resolved secret value.
/// </summary>
public sealed record ConfigurationError(string Key, string Message)
{
    /// <summary>The line of the file where the key is written; null when it is not in the file (set by an environment variable, or missing).</summary>
    public int? Line { get; init; }

    public override string ToString() => $"{Key}: {Message}";
}
