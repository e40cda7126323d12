using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Tests.Upstreams;

/// <summary>For tests whose subject is not masking: upstream text passes as it is.</summary>
internal sealed class UnmaskedLogLines : ILogLineMasker
{
    public string? Mask(string upstream, string line) => line;
}
