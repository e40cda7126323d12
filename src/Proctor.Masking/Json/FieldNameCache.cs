using Proctor.Masking.Detection;

namespace Proctor.Masking.Json;

/// <summary>
/// The contexts of field names already seen in one message, keyed by where the name's bytes sit in the
/// input. Records repeat their field names, and working out a context (decoding the name, splitting its
/// words, looking them up) costs more than comparing a few bytes. Each entry also remembers under which
/// context words the name itself was found clean, so a repeated name is not scanned again. Each name may
/// sit in one of two neighbouring slots; a miss only costs a recomputation.
/// </summary>
internal sealed class FieldNameCache
{
    private const int Slots = 32;

    // Every message needs one (1.3 KB): the gateway masks two or three messages per call, so each thread keeps a spare.
    [ThreadStatic]
    private static FieldNameCache? t_spare;

    private readonly Entry[] _slots = new Entry[Slots];

    /// <summary>An empty cache for one message; a message masked inside another (JSON in a string) gets its own.</summary>
    public static FieldNameCache Rent()
    {
        var cache = t_spare ?? new FieldNameCache();
        t_spare = null;
        return cache;
    }

    /// <summary>Empties the cache (its entries point into the message just masked) and keeps it for the thread's next message.</summary>
    public void Return()
    {
        Array.Clear(_slots);
        t_spare = this;
    }

    /// <param name="Context">The context the name gives its value.</param>
    /// <param name="Inert">The name provably holds nothing, in any context (<see cref="MaskingSession.MayChangeName"/>).</param>
    /// <param name="CleanUnder">Context words under which masking the name found nothing; null if not known.</param>
    public readonly record struct Entry(int Start, int Length, FieldContext Context, bool Inert, ContextFlags? CleanUnder);

    public bool TryGet(ReadOnlySpan<byte> json, int start, int length, out Entry entry)
    {
        var name = json.Slice(start, length);
        var first = Slot(name);
        var slot = Holds(json, first, name) ? first : Holds(json, first ^ 1, name) ? first ^ 1 : -1;
        entry = slot < 0 ? default : _slots[slot];
        return slot >= 0;
    }

    public void Set(ReadOnlySpan<byte> json, Entry entry)
    {
        if (entry.Length == 0)
        {
            return;
        }

        var name = json.Slice(entry.Start, entry.Length);
        var first = Slot(name);
        var slot = Holds(json, first, name) || _slots[first].Length == 0 ? first
            : Holds(json, first ^ 1, name) || _slots[first ^ 1].Length == 0 ? first ^ 1 : first;
        _slots[slot] = entry;
    }

    private bool Holds(ReadOnlySpan<byte> json, int slot, ReadOnlySpan<byte> name)
    {
        var (start, length, _, _, _) = _slots[slot];
        return length == name.Length && length > 0 && json.Slice(start, length).SequenceEqual(name);
    }

    private static int Slot(ReadOnlySpan<byte> name)
    {
        var hash = 2166136261u;
        foreach (var b in name)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)((hash ^ (hash >> 16)) & (Slots - 1));
    }
}
