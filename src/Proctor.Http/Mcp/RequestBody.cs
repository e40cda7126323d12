using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Proctor.Http.Mcp;

/// <summary>Reads a POST body up to the configured limit, whether or not Content-Length is sent.</summary>
internal static class RequestBody
{
    /// <summary>
    /// The most allocated up front on the strength of a Content-Length: the header is the client's claim, and
    /// trusting it would let idle connections that promise the whole limit hold that much memory each. A larger
    /// body grows the buffer (doubling) as its bytes actually arrive.
    /// </summary>
    private const int InitialBufferLimit = 64 * 1024;

    /// <returns>The body (the bytes read, where they were read to: not copied again), or null when it exceeds <paramref name="limit"/>.</returns>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(Math.Min(request.ContentLength ?? 4096, limit), InitialBufferLimit) + 1);
        while (true)
        {
            // Read into what is left of the announced length (+1, to see the end): asking for a fixed 8 KB grew the buffer of
            // every small body to 8 KB and copied it, the largest single allocation of a call (issue 13 allocation profile).
            var memory = buffer.GetMemory(request.ContentLength is { } announced && buffer.WrittenCount <= announced
                ? (int)Math.Clamp(announced + 1 - buffer.WrittenCount, 1, InitialBufferLimit)
                : 8192);
            var read = await request.Body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                return null;
            }
        }
    }
}
