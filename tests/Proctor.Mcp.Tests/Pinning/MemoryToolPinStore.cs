using Proctor.Mcp.Pinning;

namespace Proctor.Mcp.Tests.Pinning;

/// <summary>The store contract in memory (the SQLite store has its own tests), with what was recorded, for assertions.</summary>
internal sealed class MemoryToolPinStore : IToolPinStore, IToolPinRecorder
{
    private readonly Dictionary<(string, string), ToolPin> _pins = [];

    public List<(string Server, string Tool, string Pinned, string Seen)> Changes { get; } = [];

    public Task<IReadOnlyList<ToolPin>> ListAsync(string server, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ToolPin>>([.. _pins.Values.Where(p => p.Server == server)]);

    public Task<ToolPin?> FindAsync(string server, string tool, CancellationToken cancellationToken) =>
        Task.FromResult(_pins.GetValueOrDefault((server, tool)));

    public Task<ToolPin> PinAsync(string server, string tool, string fingerprint, string pinnedBy, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!_pins.TryGetValue((server, tool), out var pin))
        {
            _pins[(server, tool)] = pin = new ToolPin(server, tool, fingerprint, at, pinnedBy, null, null);
        }

        return Task.FromResult(pin);
    }

    public Task<bool> NoteChangeAsync(string server, string tool, string fingerprint, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var pin = _pins[(server, tool)];
        if (pin.Fingerprint == fingerprint || pin.Seen == fingerprint)
        {
            return Task.FromResult(false);
        }

        _pins[(server, tool)] = pin with { Seen = fingerprint, SeenAt = at };
        return Task.FromResult(true);
    }

    public Task<ToolPinAcceptance> AcceptAsync(string server, string tool, string seen, string acceptedBy, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var pin = _pins[(server, tool)];
        if (pin.Seen != seen)
        {
            throw new ToolPinStoreException("nothing waiting");
        }

        _pins[(server, tool)] = new ToolPin(server, tool, seen, at, acceptedBy, null, null);
        return Task.FromResult(new ToolPinAcceptance(server, tool, pin.Fingerprint, seen));
    }

    public Task DefinitionChangedAsync(string server, string tool, string pinned, string seen, CancellationToken cancellationToken)
    {
        Changes.Add((server, tool, pinned, seen));
        return Task.CompletedTask;
    }
}
