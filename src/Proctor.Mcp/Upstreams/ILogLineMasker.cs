namespace Proctor.Mcp.Upstreams;

/// <summary>
/// Masks a line an upstream wrote outside the protocol (a stdio server's stderr, a stray stdout line)
/// before it reaches the application log. A log is kept and read by people outside the call, so the
/// line MUST be masked as for storage: no caller's groups, every rule masks.
/// </summary>
public interface ILogLineMasker
{
    /// <summary>The masked line, or null when masking failed; the caller then logs that the line was withheld, never the line.</summary>
    string? Mask(string upstream, string line);
}
