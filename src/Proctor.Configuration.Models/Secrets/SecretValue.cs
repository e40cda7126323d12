using System.Diagnostics;

namespace Proctor.Configuration.Models.Secrets;

/// <summary>
/// A configuration value that may carry a secret (an <c>env</c> or <c>headers</c> entry).
/// <see cref="ToString"/> MUST NOT reveal the value, so a value that reaches a log line, an
/// exception message or a debugger shows <c>***</c>; the plaintext comes only from <see cref="Reveal"/>,
/// which callers use at the one place it is needed (spawning the process, writing the header).
/// </summary>
[DebuggerDisplay("{Reference,nq}")]
public sealed class SecretValue
{
    private readonly string value;

    /// <param name="reference">The value as written, references unresolved (<c>Bearer ${env:CRM_TOKEN}</c>).</param>
    /// <param name="value">The resolved plaintext.</param>
    public SecretValue(string reference, string value)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(value);
        Reference = reference;
        this.value = value;
    }

    /// <summary>The value as written in the configuration, with references unresolved. Safe to log and hash.</summary>
    public string Reference { get; }

    /// <summary>A value written literally, with no reference in it.</summary>
    public static SecretValue Literal(string value) => new(value, value);

    /// <summary>The resolved plaintext. Call it only where the value is used, never to log or display it.</summary>
    public string Reveal() => value;

    public override string ToString() => "***";
}
