namespace Proctor.Masking.Json;

/// <summary>
/// The contexts of field names already seen in one message, keyed by where the name's bytes sit in the
/// input. Records repeat their field names, and working out a context (decoding the name, splitting its
/// words, looking them up) costs more than comparing a few bytes. Each name may sit in one of two
/// neighbouring slots; a miss only costs a recomputation.
/// </summary>
internal sealed class FieldNameCache
{
    private const int Slots = 32;
    private readonly (int Start, int Length, FieldContext Context)[] _slots = new (int, int, FieldContext)[Slots];

    public bool TryGet(ReadOnlySpan<byte> json, int start, int length, out FieldContext context)
    {
        var name = json.Slice(start, length);
        var first = Slot(name);
        var slot = Holds(json, first, name) ? first : Holds(json, first ^ 1, name) ? first ^ 1 : -1;
        context = slot < 0 ? default : _slots[slot].Context;
        return slot >= 0;
    }

    public void Set(ReadOnlySpan<byte> json, int start, int length, FieldContext context)
    {
        if (length == 0) return;
        var first = Slot(json.Slice(start, length));
        var slot = _slots[first].Length == 0 || _slots[first ^ 1].Length != 0 ? first : first ^ 1;
        _slots[slot] = (start, length, context);
    }

    private bool Holds(ReadOnlySpan<byte> json, int slot, ReadOnlySpan<byte> name)
    {
        var (start, length, _) = _slots[slot];
        return length == name.Length && length > 0 && json.Slice(start, length).SequenceEqual(name);
    }

    private static int Slot(ReadOnlySpan<byte> name)
    {
        var hash = 2166136261u;
        foreach (var b in name) hash = (hash ^ b) * 16777619u;
        return (int)((hash ^ (hash >> 16)) & (Slots - 1));
    }
}
