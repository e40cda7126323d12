namespace Proctor.Mcp.Pinning;

/// <summary>
/// One pinned tool. <see cref="Fingerprint"/> is the definition in force; <see cref="Seen"/>, when set, is a different
/// definition the upstream has offered since, blocked until an admin accepts it (which makes it the one in force).
/// </summary>
/// <param name="PinnedBy">Who put <see cref="Fingerprint"/> in force: <c>proctor:gateway</c> on first sight, or the admin who accepted it (<c>cli:USER</c>).</param>
public sealed record ToolPin(string Server, string Tool, string Fingerprint, DateTimeOffset PinnedAt, string PinnedBy, string? Seen, DateTimeOffset? SeenAt);

/// <summary>What an acceptance replaced, for its ledger event.</summary>
public sealed record ToolPinAcceptance(string Server, string Tool, string Previous, string Accepted);

/// <summary>
/// Where pins are kept (the gateway's database, beside agent keys). Shared by the running gateway, which pins and
/// records changes, and <c>proctor tools accept</c>, which accepts them: both MUST tolerate the other writing.
/// </summary>
public interface IToolPinStore
{
    /// <summary>The server's pins; empty when none (or no database yet).</summary>
    Task<IReadOnlyList<ToolPin>> ListAsync(string server, CancellationToken cancellationToken);

    Task<ToolPin?> FindAsync(string server, string tool, CancellationToken cancellationToken);

    /// <summary>Pins <paramref name="fingerprint"/> unless the tool is pinned already; returns the pin in force either way.</summary>
    Task<ToolPin> PinAsync(string server, string tool, string fingerprint, string pinnedBy, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Notes a different definition seen; false when it is the pinned one or already noted (nothing new to record).</summary>
    Task<bool> NoteChangeAsync(string server, string tool, string fingerprint, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Puts <paramref name="seen"/> (the noted definition, as the caller read it) in force. Throws <see cref="ToolPinStoreException"/>
    /// when the tool is not pinned, nothing is noted, or another definition was noted meanwhile.
    /// </summary>
    Task<ToolPinAcceptance> AcceptAsync(string server, string tool, string seen, string acceptedBy, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>A pin operation refused for a reason the admin can act on; the message says what to do.</summary>
public sealed class ToolPinStoreException(string message) : Exception(message);

/// <summary>Puts a changed definition on record (the ledger's <c>tool.definition_changed</c>) before the gateway notes it.</summary>
public interface IToolPinRecorder
{
    Task DefinitionChangedAsync(string server, string tool, string pinned, string seen, CancellationToken cancellationToken);
}
