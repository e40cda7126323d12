using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Proctor.Mcp.Pinning;

/// <summary>
/// The gateway's view of pinned tool definitions (decision 0034). A tools/list answer is reviewed: a tool seen for the
/// first time is pinned, one matching its pin passes, and one that differs is recorded (ledger first, then the store)
/// and blocked — hidden from the list and refused when called — until an admin accepts it with <c>proctor tools accept</c>.
/// A blocked tool's row is read again on each call to it, so an acceptance takes effect on the next call or list.
/// </summary>
/// <remarks>
/// Reviews are serialized (lists are rare next to calls, and one lock keeps a change from being recorded twice);
/// a call to a tool that is not blocked is a dictionary lookup once the server's pins are loaded.
/// </remarks>
public sealed class ToolDefinitionPins(IToolPinStore store, IToolPinRecorder recorder, TimeProvider time)
{
    /// <summary>Who pins a definition the gateway sees first.</summary>
    public const string Gateway = "proctor:gateway";

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, PinState>> _servers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _review = new(1, 1);

    /// <summary>Reviews every tool in <paramref name="tools"/> and removes the blocked ones, in place; returns their names.</summary>
    public async Task<IReadOnlyList<string>> ReviewAsync(string server, JsonArray tools, CancellationToken cancellationToken)
    {
        var blocked = new List<string>();
        await _review.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pins = await LoadAsync(server, cancellationToken).ConfigureAwait(false);
            for (var i = tools.Count - 1; i >= 0; i--)
            {
                if (tools[i] is not JsonObject tool || tool["name"] is not JsonValue value || !value.TryGetValue<string>(out var name))
                {
                    continue; // not a tool anyone can call by name; the policy's filter already removes such entries
                }

                if (!await PassesAsync(server, name, ToolFingerprint.Of(tool), pins, cancellationToken).ConfigureAwait(false))
                {
                    tools.RemoveAt(i);
                    blocked.Add(name);
                }
            }
        }
        finally
        {
            _review.Release();
        }

        return blocked;
    }

    /// <summary>The blocked tool's pin (in force, and the definition seen since), or null when the tool may be called.</summary>
    public async ValueTask<ToolPin?> BlockingAsync(string server, string tool, CancellationToken cancellationToken)
    {
        var pins = _servers.TryGetValue(server, out var loaded) ? loaded : await LoadAsync(server, cancellationToken).ConfigureAwait(false);
        if (!pins.TryGetValue(tool, out var state) || state.Blocking is null)
        {
            return null; // never listed through this gateway: nothing to compare with until it is
        }

        var row = await store.FindAsync(server, tool, cancellationToken).ConfigureAwait(false);
        if (row is not null && row.Fingerprint == state.Blocking)
        {
            pins[tool] = new PinState(row.Fingerprint, null); // accepted since
            return null;
        }

        return row ?? throw new InvalidOperationException($"The pin of tool '{tool}' on server '{server}' is gone from the database; restore the database or restart the gateway to pin the tool afresh.");
    }

    private async Task<bool> PassesAsync(string server, string tool, string fingerprint, ConcurrentDictionary<string, PinState> pins, CancellationToken cancellationToken)
    {
        if (!pins.TryGetValue(tool, out var state))
        {
            var pinned = await store.PinAsync(server, tool, fingerprint, Gateway, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            state = new PinState(pinned.Fingerprint, pinned.Seen);
        }

        if (state.Pinned == fingerprint)
        {
            pins[tool] = state with { Blocking = null };
            return true;
        }

        var row = await store.FindAsync(server, tool, cancellationToken).ConfigureAwait(false)
            ?? await store.PinAsync(server, tool, fingerprint, Gateway, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (row.Fingerprint == fingerprint)
        {
            pins[tool] = new PinState(fingerprint, null); // accepted by an admin since it was last seen
            return true;
        }

        if (row.Seen != fingerprint)
        {
            await recorder.DefinitionChangedAsync(server, tool, row.Fingerprint, fingerprint, cancellationToken).ConfigureAwait(false);
            await store.NoteChangeAsync(server, tool, fingerprint, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        pins[tool] = new PinState(row.Fingerprint, fingerprint);
        return false;
    }

    private async Task<ConcurrentDictionary<string, PinState>> LoadAsync(string server, CancellationToken cancellationToken)
    {
        if (_servers.TryGetValue(server, out var loaded))
        {
            return loaded;
        }

        var pins = new ConcurrentDictionary<string, PinState>(StringComparer.Ordinal);
        foreach (var pin in await store.ListAsync(server, cancellationToken).ConfigureAwait(false))
        {
            pins[pin.Tool] = new PinState(pin.Fingerprint, pin.Seen); // a change noted before a restart stays blocked
        }

        return _servers.GetOrAdd(server, pins);
    }

    /// <param name="Blocking">The definition last seen, when it differs from <paramref name="Pinned"/>.</param>
    private sealed record PinState(string Pinned, string? Blocking);
}
