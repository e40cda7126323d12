using System.IO.Compression;
using ZstdSharp;

namespace Proctor.Ledger.Log;

/// <summary>
/// The codecs a frame's payload may be stored with, named by the header's flags: none (0), Brotli (1, frames written
/// before decision 0060, and a rewrite in place that only Brotli fits), Zstandard (2, RFC 8878, every frame written now).
/// </summary>
public static class FrameCompression
{
    public const byte None = 0;
    public const byte Brotli = 1;
    public const byte Zstandard = 2;

    // On ~1.9 KB tools/call events, Zstandard level 1 decodes two to three times faster than Brotli quality 1 and
    // encodes faster, in fewer bytes, at every batch size measured (decision 0060).
    private const int ZstandardLevel = 1;
    private const int BrotliQuality = 1;
    private const int BrotliWindowBits = 22;

    // A decoder's context is costly to set up and is not thread-safe; frames are decoded on several threads at once.
    [ThreadStatic]
    private static Decompressor? t_decompressor;

    /// <summary>Room enough for either codec's output of <paramref name="rawLength"/> bytes.</summary>
    internal static int MaxCompressedLength(int rawLength) =>
        Math.Max(Compressor.GetCompressBound(rawLength), BrotliEncoder.GetMaxCompressedLength(rawLength));

    internal static Compressor NewCompressor() => new(ZstandardLevel);

    /// <summary>
    /// Compresses <paramref name="raw"/> into <paramref name="payload"/>: Zstandard when that is smaller than the entries;
    /// for a frame rewritten in place (<paramref name="room"/> bytes for the payload) whose Zstandard does not fit,
    /// Brotli, which the frame may have been written with before decision 0060; else the entries as they are.
    /// </summary>
    internal static (byte Codec, int Stored) Compress(Compressor compressor, ReadOnlySpan<byte> raw, Span<byte> payload, int room)
    {
        var smallerThanRaw = Math.Min(raw.Length - 1, room);
        if (compressor.TryWrap(raw, payload, out var stored) && stored <= smallerThanRaw)
        {
            return (Zstandard, stored);
        }
        if (room < raw.Length && BrotliEncoder.TryCompress(raw, payload, out stored, BrotliQuality, BrotliWindowBits) && stored <= smallerThanRaw)
        {
            return (Brotli, stored);
        }
        raw.CopyTo(payload);
        return (None, raw.Length);
    }

    /// <summary>
    /// Decompresses <paramref name="stored"/> into all of <paramref name="raw"/>, which is the payload's recorded raw length.
    /// Throws <see cref="InvalidDataException"/> when the codec is unknown or the bytes do not decode to exactly that length.
    /// </summary>
    internal static void Decompress(byte codec, ReadOnlySpan<byte> stored, Span<byte> raw)
    {
        var written = codec switch
        {
            Brotli => BrotliDecoder.TryDecompress(stored, raw, out var count) ? count : -1,
            Zstandard => UnwrapZstandard(stored, raw),
            _ => throw new InvalidDataException($"its payload's codec (flags 0x{codec:x2}) is not one this version of Proctor reads; a later version may have written it"),
        };
        if (written != raw.Length)
        {
            throw new InvalidDataException("its payload does not decompress to its recorded length");
        }
    }

    private static int UnwrapZstandard(ReadOnlySpan<byte> stored, Span<byte> raw)
    {
        try
        {
            // The destination is exactly the recorded length: a payload that would decode to more fails here.
            return (t_decompressor ??= new Decompressor()).Unwrap(stored, raw);
        }
        catch (ZstdException)
        {
            return -1;
        }
    }
}
