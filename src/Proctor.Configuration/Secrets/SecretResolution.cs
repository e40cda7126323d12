namespace Proctor.Configuration.Secrets;

/// <summary>
/// What an <see cref="ISecretResolver"/> found for one reference: the plaintext, or a reason it could
/// not be had. The reason is shown to the operator, so it MUST NOT contain the secret value; it should
/// name the variable, file or parameter and say what to do (<c>environment variable CRM_TOKEN is not
/// set; set it or change the reference</c>).
/// </summary>
public sealed class SecretResolution
{
    private readonly string? value;

    private SecretResolution(string? value, string? failureReason)
    {
        this.value = value;
        FailureReason = failureReason;
    }

    public bool Succeeded => FailureReason is null;

    /// <summary>Why the reference could not be resolved; null when it was.</summary>
    public string? FailureReason { get; }

    public static SecretResolution Resolved(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new SecretResolution(value, null);
    }

    public static SecretResolution Failed(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new SecretResolution(null, reason);
    }

    /// <summary>The resolved plaintext.</summary>
    /// <exception cref="InvalidOperationException">The resolution failed.</exception>
    public string Reveal() =>
        value ?? throw new InvalidOperationException($"The secret was not resolved: {FailureReason}");

    public override string ToString() => Succeeded ? "resolved (***)" : "failed: " + FailureReason;
}
