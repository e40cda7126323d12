namespace Proctor.Configuration.Secrets;

/// <summary>
/// Turns a <see cref="SecretReference"/> into its plaintext. Each implementation serves one or more
/// schemes (<c>env</c>, <c>file</c>; cloud secret stores later); <see cref="CompositeSecretResolver"/>
/// combines several. Called while a configuration loads, once per reference.
/// <para>
/// Implementations MUST NOT put a secret value in <see cref="SecretResolution.FailureReason"/>, and
/// should fail with a reason rather than throw: the loader reports every failure together.
/// </para>
/// </summary>
public interface ISecretResolver
{
    /// <summary>The schemes this resolver serves, in lower case (<c>env</c> for <c>${env:NAME}</c>).</summary>
    IReadOnlyCollection<string> Schemes { get; }

    SecretResolution Resolve(SecretReference reference);
}
