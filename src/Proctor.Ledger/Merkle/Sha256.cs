using System.Buffers;
using System.Security.Cryptography;

namespace Proctor.Ledger.Merkle;

/// <summary>SHA-256 of one prefix byte and data: the shape of every Merkle leaf and node (RFC 9162 §2.1.1).</summary>
internal static class Sha256
{
    private static readonly OpenSslSha256? OpenSsl = OpenSslSha256.TryLoad();

    /// <summary>What hashes in this process: OpenSSL's EVP interface directly, or .NET's SHA-256 where that cannot be loaded.</summary>
    public static string Implementation => OpenSsl is null ? ".NET" : "OpenSSL EVP";

    public static void Hash(byte prefix, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (OpenSsl is { } openSsl)
        {
            openSsl.Hash(prefix, data, destination);
        }
        else
        {
            HashWithDotNet(prefix, data, destination);
        }
    }

    /// <summary>One-shot hashing of a pooled copy: cheaper than three calls to an <see cref="IncrementalHash"/>.</summary>
    internal static void HashWithDotNet(byte prefix, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(data.Length + 1);
        try
        {
            buffer[0] = prefix;
            data.CopyTo(buffer.AsSpan(1));
            SHA256.HashData(buffer.AsSpan(0, data.Length + 1), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
