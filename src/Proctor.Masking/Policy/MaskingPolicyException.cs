namespace Proctor.Masking.Policy;

/// <summary>The policy has errors; <see cref="Errors"/> lists every one, each naming its key.</summary>
public sealed class MaskingPolicyException(IReadOnlyList<string> errors)
    : Exception("The masking policy is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
