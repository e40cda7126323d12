using Proctor.Configuration.Secrets;

namespace Proctor.Configuration.Tests.Secrets;

/// <summary>Serves one scheme from a dictionary and records what was asked.</summary>
internal sealed class FakeSecretResolver(string scheme, Dictionary<string, string> values) : ISecretResolver
{
    public List<SecretReference> Requests { get; } = [];

    public IReadOnlyCollection<string> Schemes { get; } = [scheme];

    public SecretResolution Resolve(SecretReference reference)
    {
        Requests.Add(reference);
        return values.TryGetValue(reference.Name, out var value)
            ? SecretResolution.Resolved(value)
            : SecretResolution.Failed($"{scheme} secret {reference.Name} does not exist");
    }
}
