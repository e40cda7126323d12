using System.Globalization;
using System.Text;
using Proctor.Ledger.Checkpoints;

namespace Proctor.Evidence.Package;

/// <summary>One file of a package as the manifest lists it.</summary>
public sealed record ManifestEntry(string Path, long Size, string Sha256);

/// <summary>
/// The manifest's note text: a header line, then one line per file, <c>&lt;sha256 hex&gt; &lt;size&gt; &lt;path&gt;</c>,
/// signed as a C2SP signed note with the ledger's checkpoint key, so the same verifier key proves the files and the tree.
/// </summary>
public static class Manifest
{
    private const string Header = "proctor-evidence-manifest/1";

    public static Task<string> SignAsync(IEnumerable<ManifestEntry> entries, ICheckpointSigner signer, CancellationToken cancellationToken)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var e in entries)
        {
            text.Append(CultureInfo.InvariantCulture, $"{e.Sha256} {e.Size} {e.Path}\n");
        }
        return SignedNote.SignAsync(text.ToString(), signer, cancellationToken);
    }

    /// <summary>The entries of a verified note's text, or null and why when it is not a manifest.</summary>
    public static (IReadOnlyList<ManifestEntry>? Entries, string? Problem) Parse(string text)
    {
        var lines = text.Split('\n');
        if (lines[0] != Header)
        {
            return (null, $"the manifest does not start with \"{Header}\"");
        }
        var entries = new List<ManifestEntry>();
        foreach (var line in lines[1..^1])
        {
            var parts = line.Split(' ', 3);
            if (parts.Length != 3 || parts[0].Length != 64 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                return (null, $"the manifest line \"{line}\" is not <sha256> <size> <path>");
            }
            entries.Add(new ManifestEntry(parts[2], size, parts[0]));
        }
        return (entries, null);
    }
}
