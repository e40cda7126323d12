using System.Security.Cryptography;
using Proctor.Ledger.Merkle;

namespace Proctor.Ledger.Tests.Merkle;

public class Sha256Tests
{
    // Lengths around SHA-256's 64-byte blocks and its 55/56-byte padding edge, a node, and entries of a few KB.
    public static TheoryData<int> Lengths => [.. new[] { 0, 1, 31, 32, 54, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 1_851, 4_096, 70_001 }];

    [Fact]
    public void OnLinux_HashesThroughOpenSsl() =>
        // Falling back to .NET silently would hide a broken loader behind correct but slower hashes.
        Assert.Equal(OperatingSystem.IsLinux() ? "OpenSSL EVP" : ".NET", Sha256.Implementation);

    [Theory]
    [MemberData(nameof(Lengths))]
    public void BothImplementations_EqualDotNetOverPrefixAndData(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        foreach (var prefix in new byte[] { 0x00, 0x01, 0xff })
        {
            var expected = SHA256.HashData([prefix, .. data]);
            var hashed = new byte[32];
            Sha256.Hash(prefix, data, hashed);
            Assert.Equal(expected, hashed);
            var fallback = new byte[32];
            Sha256.HashWithDotNet(prefix, data, fallback);
            Assert.Equal(expected, fallback);
        }
    }

    [Fact]
    public void SuccessiveHashes_OnOneThread_DoNotCarryState()
    {
        var first = new byte[32];
        var again = new byte[32];
        Sha256.Hash(0x00, "first"u8, first);
        Sha256.Hash(0x01, new byte[300], new byte[32]);
        Sha256.Hash(0x00, "first"u8, again);
        Assert.Equal(first, again);
        Assert.Equal(SHA256.HashData([0x00, .. "first"u8]), first);
    }

    [Fact]
    public async Task ManyThreadsAtOnce_EachGetTheirOwnInputsHash()
    {
        var inputs = Enumerable.Range(0, 4_000).Select(i => BitConverter.GetBytes(i * 7919L)).ToArray();
        var results = new byte[inputs.Length][];
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = worker; i < inputs.Length; i += 8)
            {
                results[i] = new byte[32];
                Sha256.Hash(0x00, inputs[i], results[i]);
            }
        })));
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(SHA256.HashData([0x00, .. inputs[i]]), results[i]);
        }
    }

    [Fact]
    public void DestinationShorterThanADigest_IsRefusedBeforeAnythingIsWritten()
    {
        var destination = new byte[40];
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Sha256.Hash(0x00, "x"u8, destination.AsSpan(0, 31)));
        Assert.Equal("destination", error.ParamName);
        Assert.All(destination, b => Assert.Equal(0, b));
    }
}
