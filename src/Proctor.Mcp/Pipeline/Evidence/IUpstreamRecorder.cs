namespace Proctor.Mcp.Pipeline.Evidence;

/// <summary>
/// The ledger as upstream supervision sees it: each spawn and each exit of a stdio upstream's process.
/// Both throw <see cref="RecordingFailedException"/> when the ledger cannot commit; supervision logs it and
/// carries on, since calls are refused anyway while the ledger cannot record them.
/// </summary>
public interface IUpstreamRecorder
{
    ValueTask SpawnedAsync(UpstreamSpawn spawn, CancellationToken cancellationToken);

    ValueTask ExitedAsync(UpstreamExit exit, CancellationToken cancellationToken);
}

/// <summary>
/// A started upstream process. The command line is as written in the configuration, where secret references
/// are refused in <c>args</c>; of the configured environment only the names are kept, never the values
/// (they MUST NOT reach the ledger: they are where <c>${…}</c> secrets go).
/// </summary>
public sealed record UpstreamSpawn(string Upstream, int ProcessId, string Command, IReadOnlyList<string> Args, IReadOnlyList<string> EnvironmentNames, string? WorkingDirectory);

/// <param name="Reason"><c>exited</c> on its own; <c>stopped</c> after the gateway closed its stdin; <c>terminated</c> after SIGTERM; <c>killed</c> after SIGKILL.</param>
public sealed record UpstreamExit(string Upstream, int ProcessId, int ExitCode, string Reason, TimeSpan Uptime);
