using System.Collections.Frozen;

namespace Proctor.Configuration.Secrets;

/// <summary>
/// Sends each reference to the resolver that serves its scheme. The host builds one from the
/// resolvers it has configured (environment and files by default).
/// </summary>
public sealed class CompositeSecretResolver : ISecretResolver
{
    private readonly FrozenDictionary<string, ISecretResolver> byScheme;

    public CompositeSecretResolver(params IEnumerable<ISecretResolver> resolvers)
    {
        ArgumentNullException.ThrowIfNull(resolvers);
        var map = new Dictionary<string, ISecretResolver>(StringComparer.Ordinal);
        foreach (var resolver in resolvers)
        {
            foreach (var scheme in resolver.Schemes)
            {
                if (!map.TryAdd(scheme, resolver))
                {
                    throw new ArgumentException($"Two resolvers serve the scheme \"{scheme}\"; pass only one of them.", nameof(resolvers));
                }
            }
        }

        byScheme = map.ToFrozenDictionary(StringComparer.Ordinal);
        Schemes = [.. map.Keys];
    }

    public IReadOnlyCollection<string> Schemes { get; }

    public SecretResolution Resolve(SecretReference reference) =>
        byScheme.TryGetValue(reference.Scheme, out var resolver)
            ? resolver.Resolve(reference)
            : SecretResolution.Failed($"no resolver serves \"{reference.Scheme}\" in {reference}");
}
