namespace Proctor.Mcp.Upstreams;

public enum UpstreamState { Starting, Ready, Down, Stopped }

/// <summary>What <c>/readyz</c> shows for one upstream. Reasons never contain secret values.</summary>
public sealed record UpstreamHealth(UpstreamState State, string? Reason, DateTimeOffset Since, int Restarts, string? Era);
