using System.Globalization;

namespace Proctor.Ledger.Checkpoints;

/// <summary>
/// A C2SP tlog-checkpoint body: origin, decimal tree size, base64 root hash, then extension lines. Proctor adds one
/// extension line, <c>time &lt;RFC 3339 UTC&gt;</c>, so that a gap in the fixed signing interval is visible and signed.
/// </summary>
public sealed record Checkpoint(string Origin, long TreeSize, byte[] RootHash, DateTimeOffset? Time)
{
    private const string TimePrefix = "time ";

    public string ToNoteText()
    {
        var text = $"{Origin}\n{TreeSize.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToBase64String(RootHash)}\n";
        return Time is { } time ? text + TimePrefix + time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + "\n" : text;
    }

    public static Checkpoint Parse(string noteText)
    {
        var lines = noteText.Split('\n');
        if (lines.Length < 4 || lines[^1].Length != 0)
        {
            throw new FormatException("A checkpoint has at least three lines (origin, size, root hash), each ending in a newline.");
        }
        if (!long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || (lines[1].Length > 1 && lines[1][0] == '0'))
        {
            throw new FormatException($"Checkpoint tree size \"{lines[1]}\" is not a decimal number without leading zeros.");
        }
        byte[] root;
        try
        {
            root = Convert.FromBase64String(lines[2]);
        }
        catch (FormatException)
        {
            throw new FormatException($"Checkpoint root hash \"{lines[2]}\" is not base64.");
        }
        if (root.Length != 32)
        {
            throw new FormatException($"Checkpoint root hash has {root.Length} bytes; SHA-256 has 32.");
        }
        DateTimeOffset? time = null;
        foreach (var extension in lines[3..^1])
        {
            if (extension.StartsWith(TimePrefix, StringComparison.Ordinal))
            {
                time = DateTimeOffset.Parse(extension[TimePrefix.Length..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            }
        }
        return new Checkpoint(lines[0], size, root, time);
    }
}
