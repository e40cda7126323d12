namespace Proctor.Configuration.Models;

/// <summary>
/// Which MCP protocol generation a remote upstream speaks. <see cref="Auto"/> probes the modern
/// handshake first and falls back to the legacy <c>initialize</c> exchange.
/// </summary>
public enum UpstreamEra
{
    Auto,
    Legacy,
    Modern,
}
