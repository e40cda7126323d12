namespace Proctor.Configuration.Secrets;

/// <summary>
/// One reference inside a configuration value: <c>${env:CRM_TOKEN}</c> is scheme <c>env</c>, name
/// <c>CRM_TOKEN</c>. It names where a secret lives, never the secret, so it is safe to log.
/// </summary>
public readonly record struct SecretReference(string Scheme, string Name)
{
    public override string ToString() => "${" + Scheme + ":" + Name + "}";
}
