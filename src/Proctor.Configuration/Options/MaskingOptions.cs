namespace Proctor.Configuration.Options;

/// <summary>
/// The <c>masking:</c> section as written. Null when the file has none: the built-in rules apply.
/// List entries that could not be read stay in place (as empty entries) so that every later entry
/// keeps the index the operator sees in the file.
/// </summary>
internal sealed class MaskingOptions
{
    public const string DefaultTimeBudget = "1s";

    public List<MaskingRuleOptions>? Rules { get; set; }

    public List<MaskingOverrideOptions>? Overrides { get; set; }

    public List<CustomPatternOptions>? CustomPatterns { get; set; }

    public List<DenyListOptions>? DenyLists { get; set; }

    public string? TimeBudget { get; set; }
}

/// <summary>One entry of <c>masking.rules</c> (or of an override's <c>rules</c>).</summary>
internal sealed class MaskingRuleOptions
{
    public string? Entity { get; set; }

    public string? Field { get; set; }

    public string? Path { get; set; }

    /// <summary>redact, partial, token, hash or none; default redact.</summary>
    public string? Strategy { get; set; }

    public string? KeepLast { get; set; }

    public List<string>? RevealTo { get; set; }
}

/// <summary>One entry of <c>masking.overrides</c>: rules for one upstream, or one tool of it.</summary>
internal sealed class MaskingOverrideOptions
{
    public string? Server { get; set; }

    public string? Tool { get; set; }

    public List<MaskingRuleOptions>? Rules { get; set; }
}

/// <summary>One entry of <c>masking.customPatterns</c>.</summary>
internal sealed class CustomPatternOptions
{
    public string? Name { get; set; }

    public string? Pattern { get; set; }
}

/// <summary>One entry of <c>masking.denyLists</c>. A term may be a secret reference (<c>${file:…}</c>), resolved at load.</summary>
internal sealed class DenyListOptions
{
    public string? Name { get; set; }

    public List<string>? Terms { get; set; }
}
