namespace Proctor.Masking;

/// <summary>
/// Masking did not complete: the time budget ran out, the JSON was malformed, or a detector failed.
/// The caller MUST withhold the payload (fail closed) and answer with a clear error instead.
/// </summary>
public sealed class MaskingFailedException : Exception
{
    public MaskingFailedException(string message) : base(message) { }

    public MaskingFailedException(string message, Exception inner) : base(message, inner) { }
}
