namespace Proctor.Masking;

/// <summary>Where a payload comes from, which selects the per-server and per-tool rule overrides.</summary>
/// <param name="Server">The upstream server name, or null for gateway-wide rules only.</param>
/// <param name="Tool">The tool name, or null when the payload is not a tool call or result.</param>
public readonly record struct MaskingScope(string? Server, string? Tool)
{
    public static MaskingScope Gateway => default;
}
