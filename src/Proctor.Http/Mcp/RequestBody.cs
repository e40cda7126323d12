using Microsoft.AspNetCore.Http;
using Proctor.Mcp.Protocol;

namespace Proctor.Http.Mcp;

/// <summary>Reads a POST body up to the configured limit, whether or not Content-Length is sent (<see cref="BoundedBody"/>).</summary>
internal static class RequestBody
{
    /// <returns>The body (the bytes read, where they were read to: not copied again), or null when it exceeds <paramref name="limit"/>.</returns>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        var read = await BoundedBody.ReadAsync(request.Body, request.ContentLength, limit, cancellationToken).ConfigureAwait(false);
        if (read.Exceeded)
        {
            return null; // spelled out: `read.Exceeded ? null : read.Bytes` is an empty body, null becoming a memory through byte[]
        }

        return read.Bytes;
    }
}
