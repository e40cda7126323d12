namespace Proctor.Configuration.Models.Schema;

/// <summary>
/// How one configuration key is written: the loader binds, checks, overrides from the environment,
/// documents in its messages and hashes a property through this attribute alone, so a key is added by
/// adding the property (decision 0024). The key is the property name in camelCase unless
/// <see cref="Key"/> says otherwise; its default is the value the type's parameterless constructor gives.
/// </summary>
/// <param name="what">What the value is, for "expected …, found …" (<c>a duration</c>).</param>
/// <param name="example">A value that works, exactly as messages show it (<c>"30s"</c>, <c>auto</c>, <c>{ … }</c>).</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingAttribute(string what, string example) : Attribute
{
    public string What { get; } = what;

    public string Example { get; } = example;

    /// <summary>The key as written, when it is not the property name in camelCase.</summary>
    public string? Key { get; init; }

    /// <summary>How the text is read; by default it follows from the property's type.</summary>
    public ValueFormat Format { get; init; }

    /// <summary>For a list (or the lists of a map): what one entry is, and an entry that works.</summary>
    public string? ItemWhat { get; init; }

    public string? ItemExample { get; init; }

    /// <summary>For a map whose values are lists: what one value is (<c>a list of groups</c>).</summary>
    public string? ValueWhat { get; init; }

    /// <summary>A list written as one text is shown back split at spaces (<c>"-y server"</c> → <c>["-y", "server"]</c>).</summary>
    public bool SplitExample { get; init; }

    /// <summary>A list whose order means nothing: duplicates are dropped and the hash sorts it.</summary>
    public bool Set { get; init; }

    /// <summary>Values MUST NOT be quoted in messages, even in the wrong shape: they may be secrets written where a reference belongs.</summary>
    public bool Sensitive { get; init; }

    /// <summary>Resolved references are the gateway's own credentials: the masking policy redacts them everywhere.</summary>
    public bool Credential { get; init; }

    /// <summary>The message when the key is missing, empty or null; unset: the key is optional.</summary>
    public string? Required { get; init; }

    /// <summary>Set: a secret reference here is refused, with this text after the reason (it would be passed on unresolved).</summary>
    public string? NoReferences { get; init; }

    /// <summary>Bounds, written as the value would be (<c>"1KiB"</c>, <c>"100000"</c>).</summary>
    public string? Minimum { get; init; }

    public string? Maximum { get; init; }

    /// <summary>For a map: how a <c>PROCTOR__…</c> variable's segment becomes a key of it.</summary>
    public OverrideKeys OverrideKeys { get; init; }

    /// <summary>For a list of mappings: the key an environment variable would most likely set in an entry (<c>STRATEGY</c>).</summary>
    public string? OverrideExample { get; init; }
}

/// <summary>The keys of this property's type are written beside the owner's own (<c>gateway.maxSessions</c>, not <c>gateway.limits.maxSessions</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class InlineAttribute : Attribute;

/// <summary>How a shell variable segment (upper case, no hyphens) names a map key.</summary>
public enum OverrideKeys
{
    /// <summary>As written in the variable name (environment variable names, issuer URLs).</summary>
    AsWritten,

    /// <summary><c>_</c> stands for <c>-</c> (header names).</summary>
    Hyphens,

    /// <summary>Lower case, <c>_</c> stands for <c>-</c> (upstream names).</summary>
    LowerHyphens,

    /// <summary>Lower case (role names).</summary>
    Lower,
}
