using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Proctor.Mcp.Pipeline.Evidence;

namespace Proctor.Mcp.Approvals;

/// <summary>
/// The arguments of calls held for approval, in memory only and only while they are held. A held call's request is in
/// the gateway's memory anyway; an approver reading its approval request gets the arguments masked for their own groups
/// (the reveal rights callers get, docs/masking.md) instead of the storage copy, so a rule that reveals account numbers
/// to payment supervisors shows them to the supervisor deciding the transfer. Nothing unmasked is ever stored: when
/// the hold ends (run, refused, timed out, cancelled) the entry goes, and readers fall back to the stored masked copy.
/// </summary>
public sealed class HeldArguments(IPayloadMasker masker)
{
    private readonly ConcurrentDictionary<string, Held> _held = new(StringComparer.Ordinal);

    /// <summary>Shows <paramref name="request"/>'s arguments for approval <paramref name="approvalId"/> until the result is disposed.</summary>
    public IDisposable Show(string approvalId, JsonObject request, MaskingScope scope)
    {
        // Identical calls wait on one request: the first one in shows the arguments, the last one out hides them.
        _held.AddOrUpdate(approvalId, _ => new Held((JsonObject)request.DeepClone(), scope, 1), (_, existing) => existing with { Holders = existing.Holders + 1 });
        return new Hold(this, approvalId);
    }

    /// <summary>
    /// The held call's arguments masked for a reader in <paramref name="readerGroups"/>; null when no call is held on
    /// the request now, or when they cannot be masked (the stored copy is shown then).
    /// </summary>
    public JsonNode? For(string approvalId, IReadOnlyList<string> readerGroups)
    {
        if (!_held.TryGetValue(approvalId, out var held))
        {
            return null;
        }

        try
        {
            return masker.Mask(held.Request, held.Scope, readerGroups).Message["params"]?["arguments"]?.DeepClone();
        }
        catch (MaskingFailedException)
        {
            return null;
        }
    }

    private void Release(string approvalId)
    {
        while (_held.TryGetValue(approvalId, out var held))
        {
            var updated = held.Holders == 1
                ? _held.TryRemove(KeyValuePair.Create(approvalId, held))
                : _held.TryUpdate(approvalId, held with { Holders = held.Holders - 1 }, held);
            if (updated)
            {
                return;
            }
        }
    }

    private sealed record Held(JsonObject Request, MaskingScope Scope, int Holders);

    private sealed class Hold(HeldArguments owner, string approvalId) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(approvalId);
            }
        }
    }
}
