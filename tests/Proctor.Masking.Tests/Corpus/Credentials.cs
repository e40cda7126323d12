using System.Text;

namespace Proctor.Masking.Tests.Corpus;

/// <summary>Builds well-formed credentials for tests, independently of the engine's own checks.</summary>
internal static class Credentials
{
    public const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string GitHubToken(string prefix, string thirtyRandom)
    {
        var crc = Crc32(Encoding.ASCII.GetBytes(thirtyRandom));
        var checksum = new char[6];
        for (var i = 5; i >= 0; i--)
        {
            checksum[i] = Base62[(int)(crc % 62)];
            crc /= 62;
        }
        return prefix + thirtyRandom + new string(checksum);
    }

    /// <summary>Bit-by-bit CRC-32 (IEEE 802.3, reflected), slow but obviously right.</summary>
    public static uint Crc32(byte[] data)
    {
        var crc = uint.MaxValue;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
            }
        }
        return ~crc;
    }

    public static string Jwt(string headerJson, string payloadJson, string signature) =>
        $"{Base64Url(headerJson)}.{Base64Url(payloadJson)}.{signature}";

    public static string Base64Url(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Pem(string kind, string body) =>
        $"-----BEGIN {kind}PRIVATE KEY-----\n{body}\n-----END {kind}PRIVATE KEY-----";
}
