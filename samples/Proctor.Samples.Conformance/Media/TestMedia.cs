using System.Buffers.Binary;

namespace Proctor.Samples.Conformance.Media;

/// <summary>Small but well-formed media payloads for image, audio and binary-resource scenarios.</summary>
internal static class TestMedia
{
    public const string PngMimeType = "image/png";
    public const string WavMimeType = "audio/wav";

    /// <summary>A 1x1 red pixel PNG.</summary>
    public static ReadOnlyMemory<byte> RedPixelPng { get; } = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC");

    /// <summary>A tenth of a second of a 440 Hz tone: 8 kHz, mono, 16-bit PCM WAV.</summary>
    public static ReadOnlyMemory<byte> ToneWav { get; } = CreateToneWav(sampleRate: 8000, frequency: 440, samples: 800);

    private static byte[] CreateToneWav(int sampleRate, double frequency, int samples)
    {
        const int headerSize = 44;
        const short bitsPerSample = 16;
        const short channels = 1;
        var dataSize = samples * channels * bitsPerSample / 8;
        var wav = new byte[headerSize + dataSize];
        var span = wav.AsSpan();

        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], headerSize - 8 + dataSize);
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], channels);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], sampleRate * channels * bitsPerSample / 8);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], (short)(channels * bitsPerSample / 8));
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], bitsPerSample);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], dataSize);

        for (var i = 0; i < samples; i++)
        {
            var amplitude = Math.Sin(2 * Math.PI * frequency * i / sampleRate) * short.MaxValue * 0.5;
            BinaryPrimitives.WriteInt16LittleEndian(span[(headerSize + i * 2)..], (short)amplitude);
        }

        return wav;
    }
}
