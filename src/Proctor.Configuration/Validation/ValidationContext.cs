using Proctor.Configuration.Secrets;

namespace Proctor.Configuration.Validation;

/// <summary>What the validators share: the errors found so far, the secret resolver, and the values it resolved.</summary>
internal sealed class ValidationContext(ISecretResolver secrets, List<ConfigurationError> errors)
{
    public ISecretResolver Secrets { get; } = secrets;

    public List<ConfigurationError> Errors { get; } = errors;

    /// <summary>
    /// Resolved <c>env</c>, <c>headers</c>, <c>url</c>, <c>oauth.clientSecret</c> and deny-list term
    /// values by key path, for those whose every reference resolved. Filled by
    /// <see cref="SecretReferenceValidator"/>, read by later validators and by the model builder, so
    /// each reference is resolved exactly once per load.
    /// </summary>
    public Dictionary<string, SecretValue> Resolved { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The plaintext of every reference resolved for the gateway's own credentials (<c>env</c>,
    /// <c>headers</c>, <c>oauth.clientSecret</c>), each on its own: the masking policy redacts them
    /// wherever they appear in a payload or a log line.
    /// </summary>
    public HashSet<string> GatewaySecrets { get; } = new(StringComparer.Ordinal);

    public void Add(string key, string message) => Errors.Add(new ConfigurationError(key, message));

    /// <summary>Adds the problem a format parser returned, if any.</summary>
    public void AddIf(bool ok, string key, string? problem)
    {
        if (!ok)
        {
            Add(key, problem!);
        }
    }
}
