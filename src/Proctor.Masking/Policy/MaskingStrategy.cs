namespace Proctor.Masking.Policy;

/// <summary>How a detected value is replaced.</summary>
public enum MaskingStrategy
{
    /// <summary>Replace with the entity label, e.g. <c>[SSN]</c>.</summary>
    Redact,
    /// <summary>Keep the last N letters/digits and the delimiters, star the rest: <c>***-**-6789</c>.</summary>
    Partial,
    /// <summary>Stable keyed token <c>tok_&lt;entity&gt;_&lt;hex&gt;</c> (HMAC-SHA256 with the gateway key): equal values correlate, nothing is revealed.</summary>
    Token,
    /// <summary>Unkeyed SHA-256 prefix <c>sha256:&lt;hex&gt;</c>. Short value spaces (SSN) can be brute-forced; prefer <see cref="Token"/>.</summary>
    Hash,
    /// <summary>Leave the value as is (e.g. IP addresses in a network tool's results). Still counted as revealed.</summary>
    None,
}
