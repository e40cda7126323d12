using Proctor.Configuration.Options;

namespace Proctor.Configuration.Validation;

/// <summary>Every upstream is exactly one kind: a local stdio server (<c>command</c>) or a remote one (<c>url</c>).</summary>
internal sealed class UpstreamTransportValidator : IOptionsValidator
{
    public void Validate(ProctorOptions options, ValidationContext context)
    {
        foreach (var (name, upstream) in options.Upstreams)
        {
            if (upstream.Unreadable)
            {
                continue;
            }

            switch (upstream.Transport)
            {
                case UpstreamTransport.None:
                    context.Add($"upstreams.{name}", "needs \"command\" (a local server the gateway starts) or \"url\" (a remote server); add one, e.g. url: \"https://mcp.example.com/mcp\"");
                    break;
                case UpstreamTransport.Both:
                    context.Add($"upstreams.{name}", "has both \"command\" and \"url\"; keep \"command\" for a local server the gateway starts, or \"url\" for a remote server");
                    break;
            }
        }
    }
}
