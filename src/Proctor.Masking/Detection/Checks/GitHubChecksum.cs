namespace Proctor.Masking.Detection.Checks;

/// <summary>
/// Classic GitHub tokens end in six base62 characters that encode the CRC-32 of the 30 random
/// characters before them, so a real token can be told from a look-alike without calling GitHub.
/// </summary>
internal static class GitHubChecksum
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly uint[] Table = BuildTable();

    public static bool IsValid(ReadOnlySpan<char> random, ReadOnlySpan<char> checksum)
    {
        Span<char> expected = stackalloc char[6];
        Encode(Crc32(random), expected);
        return checksum.SequenceEqual(expected);
    }

    public static void Encode(uint value, Span<char> sixChars)
    {
        for (var i = 5; i >= 0; i--)
        {
            sixChars[i] = Base62[(int)(value % 62)];
            value /= 62;
        }
    }

    public static uint Crc32(ReadOnlySpan<char> ascii)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var c in ascii)
        {
            crc = Table[(crc ^ (byte)c) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }
        return table;
    }
}
