using Proctor.Masking;
using Proctor.Mcp.Upstreams;

namespace Proctor.Evidence;

/// <summary>The upstreams' port onto the masking engine for lines bound for the log: storage audience, the upstream's scope.</summary>
internal sealed class EngineLogLineMasker(MaskingEngine engine) : ILogLineMasker
{
    public string? Mask(string upstream, string line)
    {
        try
        {
            return engine.MaskText(line, new MaskingScope(upstream, null), MaskingAudience.Storage).Text;
        }
        catch (MaskingFailedException)
        {
            return null;
        }
    }
}
