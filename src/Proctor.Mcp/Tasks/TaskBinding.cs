namespace Proctor.Mcp.Tasks;

/// <summary>A task as the gateway knows it: who created it, on which upstream, with which tool, and until when it may be reached.</summary>
/// <param name="Tool">The upstream-side name of the tool whose call created the task: its masking rules apply to the task's result.</param>
public sealed record TaskBinding(string CallerKey, string TaskId, string Upstream, string Tool, DateTimeOffset Expires);
