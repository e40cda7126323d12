using System.Buffers;

namespace Proctor.Mcp.Protocol;

/// <summary>
/// Reads a message body up to a limit, whether or not its sender declared its length: a client's POST at the gateway's
/// front, an HTTP upstream's JSON answer. The buffer starts at the declared length, but never above
/// <see cref="InitialBufferLimit"/>: the length is the sender's claim, and trusting it would let idle connections that
/// promise the whole limit hold that much memory each. Each read asks for no more room than the declared length leaves
/// (and one byte, to see the end), so a body that keeps its word is read without the buffer growing or being copied;
/// asking for a fixed step grew every small body's buffer past it (issue 13 allocation profile).
/// </summary>
public static class BoundedBody
{
    private const int InitialBufferLimit = 64 * 1024;

    /// <summary>How much more room a read asks for once past the declared length, or when none was declared.</summary>
    private const int UndeclaredStep = 8192;

    /// <summary>The bytes read, where they were read to (not copied again); past <paramref name="limit"/>, what had been read when it was passed.</summary>
    public static async Task<BodyRead> ReadAsync(Stream body, long? declaredLength, long limit, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(Math.Min(declaredLength ?? 4096, limit), InitialBufferLimit) + 1);
        while (true)
        {
            var room = declaredLength is { } declared && buffer.WrittenCount <= declared
                ? (int)Math.Clamp(declared + 1 - buffer.WrittenCount, 1, InitialBufferLimit)
                : UndeclaredStep;
            var read = await body.ReadAsync(buffer.GetMemory(room), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return new BodyRead(buffer.WrittenMemory, Exceeded: false);
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                return new BodyRead(buffer.WrittenMemory, Exceeded: true);
            }
        }
    }
}

/// <param name="Bytes">The body; when <paramref name="Exceeded"/>, the part read before the limit was passed (its length says how much).</param>
public readonly record struct BodyRead(ReadOnlyMemory<byte> Bytes, bool Exceeded);
