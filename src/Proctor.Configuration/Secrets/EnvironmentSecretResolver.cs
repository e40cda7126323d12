using System.Text.RegularExpressions;

namespace Proctor.Configuration.Secrets;

/// <summary>
/// Resolves <c>${env:NAME}</c> from an environment given to it (the process environment in
/// production, a dictionary in tests). Lookup follows the dictionary's own comparer.
/// A variable that is set to the empty string resolves to the empty string.
/// </summary>
public sealed partial class EnvironmentSecretResolver : ISecretResolver
{
    public const string Scheme = "env";

    private readonly IReadOnlyDictionary<string, string> environment;

    public EnvironmentSecretResolver(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        this.environment = environment;
    }

    public IReadOnlyCollection<string> Schemes { get; } = [Scheme];

    public SecretResolution Resolve(SecretReference reference)
    {
        if (!VariableName().IsMatch(reference.Name))
        {
            return SecretResolution.Failed(
                $"\"{reference.Name}\" in {reference} is not an environment variable name; use letters, digits and underscores, e.g. ${{env:CRM_TOKEN}}");
        }

        return environment.TryGetValue(reference.Name, out var value)
            ? SecretResolution.Resolved(value)
            : SecretResolution.Failed($"environment variable {reference.Name} is not set; set it or change the reference");
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}
