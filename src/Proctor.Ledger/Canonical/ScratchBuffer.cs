using System.Buffers;

namespace Proctor.Ledger.Canonical;

/// <summary>
/// A thread's reusable buffer for JSON that is written and then copied at once: a canonical event or value, a message
/// written for masking or for the wire. A buffer grown past <see cref="KeptBytes"/> by a large message (a 4 MB tool
/// result) is replaced at the thread's next use, so that no thread keeps more than that.
/// </summary>
public static class ScratchBuffer
{
    public const int KeptBytes = 1 << 20;

    /// <summary>The buffer in <paramref name="slot"/> (a thread-static field), emptied; a new one when there is none or it grew past <see cref="KeptBytes"/>.</summary>
    public static ArrayBufferWriter<byte> Reuse(ref ArrayBufferWriter<byte>? slot, int initialCapacity = 4096)
    {
        var buffer = slot is { Capacity: <= KeptBytes } kept ? kept : slot = new ArrayBufferWriter<byte>(initialCapacity);
        buffer.ResetWrittenCount();
        return buffer;
    }
}
