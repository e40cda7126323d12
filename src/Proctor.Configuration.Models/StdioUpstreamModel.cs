using Proctor.Configuration.Models.Secrets;

namespace Proctor.Configuration.Models;

/// <summary>
/// An upstream the gateway spawns and supervises, speaking MCP over stdin/stdout.
/// <see cref="Environment"/> holds the variables to add to the child's environment (ordinal keys).
/// On shutdown the gateway closes stdin, waits <see cref="ShutdownGrace"/>, sends SIGTERM, waits
/// <see cref="ShutdownGrace"/> again, then kills it. Restarts back off from <see cref="InitialBackoff"/>
/// to at most <see cref="MaxBackoff"/>.
/// </summary>
public sealed record StdioUpstreamModel(
    string Name,
    TimeSpan Timeout,
    string Command,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, SecretValue> Environment,
    string? WorkingDirectory,
    TimeSpan InitialBackoff,
    TimeSpan MaxBackoff,
    TimeSpan ShutdownGrace) : UpstreamModel(Name, Timeout);
