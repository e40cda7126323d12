using System.Buffers;
using System.Text.Json;
using Proctor.Ledger.Canonical;

namespace Proctor.Mcp.Protocol;

/// <summary>
/// A JSON writer and its buffer, one per thread, for a message that is written and then copied at once (into a
/// pooled line, into the response's pipe). A writer and a growing buffer per message were a measurable share of the
/// gateway's allocations per call (issue 13 profile).
/// </summary>
public static class JsonScratch
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// The bytes <paramref name="write"/> wrote. They stay valid only until this thread writes again: copy them before
    /// anything awaits, and never write through this from inside <paramref name="write"/>.
    /// </summary>
    public static ReadOnlySpan<byte> Write<T>(T value, Action<T, Utf8JsonWriter> write)
    {
        var buffer = ScratchBuffer.Reuse(ref t_buffer, 1024);
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        write(value, writer);
        writer.Flush();
        return buffer.WrittenSpan;
    }
}
