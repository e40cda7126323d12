using System.IO.Compression;
using System.Security.Cryptography;
using Proctor.Evidence.Package;
using Proctor.Ledger.Checkpoints;

namespace Proctor.Evidence.Verification;

/// <summary>
/// Verifies a package offline (no database, no network): the manifest's signature, every file against the manifest, every
/// included event's bytes against its leaf, the period's leaves against the signed root, the checkpoint chain, and
/// optionally a checkpoint the examiner already holds. Reads the package's published format only (docs/evidence.md).
/// </summary>
public static class PackageVerifier
{
    /// <param name="pinnedKey">The key the examiner trusts; null: the package's own verifier.key, and the verdict says the key was not pinned.</param>
    /// <param name="knownCheckpoint">A signed checkpoint note the examiner already holds, to be proven consistent with the package.</param>
    public static PackageVerdict Verify(Stream package, NoteVerifierKey? pinnedKey, string? knownCheckpoint)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(package, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new PackageUnreadableException($"not an evidence package: the file is not a zip archive ({ex.Message})", ex);
        }
        using (archive)
        {
            try
            {
                return Verify(archive, pinnedKey, knownCheckpoint);
            }
            catch (InvalidDataException ex)
            {
                // A damaged entry (bad checksum, broken compression) is a file that is not what was written.
                return new PackageVerdict { Problems = [new("file.modified", $"a file of the package cannot be read back as written: {ex.Message}")], KeyPinned = pinnedKey is not null };
            }
        }
    }

    private static PackageVerdict Verify(ZipArchive archive, NoteVerifierKey? pinnedKey, string? knownCheckpoint)
    {
        var problems = new List<VerificationProblem>();
        var files = archive.Entries.GroupBy(e => e.FullName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var key = pinnedKey ?? PackagedKey(files, problems);
        if (key is null)
        {
            return new PackageVerdict { Problems = problems };
        }
        if (pinnedKey is not null && Single(files, PackageFiles.VerifierKey) is { } packaged && ReadText(packaged).Trim() != pinnedKey.ToString())
        {
            problems.Add(new("key.not_pinned_key", $"the package's verifier.key is not the key given with --key ({pinnedKey.Name}+{pinnedKey.KeyId:x8})", PackageFiles.VerifierKey));
        }
        if (!CheckManifest(files, key, problems))
        {
            return new PackageVerdict { Problems = problems, KeyPinned = pinnedKey is not null, KeyId = KeyId(key) };
        }
        return TreeCheck.Run(files, key, knownCheckpoint, problems) with { KeyPinned = pinnedKey is not null, KeyId = KeyId(key) };
    }

    private static string KeyId(NoteVerifierKey key) => $"{key.Name}+{key.KeyId:x8}";

    private static NoteVerifierKey? PackagedKey(Dictionary<string, List<ZipArchiveEntry>> files, List<VerificationProblem> problems)
    {
        if (Single(files, PackageFiles.VerifierKey) is not { } entry)
        {
            problems.Add(new("file.missing", "the package has no verifier.key and no key was given with --key: nothing to verify the signatures with", PackageFiles.VerifierKey));
            return null;
        }
        try
        {
            return NoteVerifierKey.Parse(ReadText(entry));
        }
        catch (FormatException ex)
        {
            problems.Add(new("file.malformed", $"verifier.key is not a verifier key: {ex.Message}", PackageFiles.VerifierKey));
            return null;
        }
    }

    /// <summary>The manifest must be signed by the key, and list exactly the package's other files with their sizes and SHA-256.</summary>
    private static bool CheckManifest(Dictionary<string, List<ZipArchiveEntry>> files, NoteVerifierKey key, List<VerificationProblem> problems)
    {
        if (Single(files, PackageFiles.Manifest) is not { } manifestEntry)
        {
            problems.Add(new("file.missing", "the package has no signed manifest (manifest.note): its files cannot be trusted", PackageFiles.Manifest));
            return false;
        }
        var (text, signatureProblem) = SignedNote.Open(ReadText(manifestEntry), key);
        if (text is null)
        {
            problems.Add(new("manifest.signature", $"the manifest is not signed by {KeyId(key)}: {signatureProblem}", PackageFiles.Manifest));
            return false;
        }
        var (entries, formatProblem) = Manifest.Parse(text);
        if (entries is null)
        {
            problems.Add(new("file.malformed", formatProblem!, PackageFiles.Manifest));
            return false;
        }
        var listed = entries.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var extra in files.Keys.Where(name => name != PackageFiles.Manifest && !listed.Contains(name)))
        {
            problems.Add(new("file.extra", $"{extra} is in the package but not in the signed manifest", extra));
        }
        foreach (var duplicated in files.Where(f => f.Value.Count > 1))
        {
            problems.Add(new("file.extra", $"{duplicated.Key} appears {duplicated.Value.Count} times in the archive", duplicated.Key));
        }
        foreach (var listedFile in entries)
        {
            if (!files.TryGetValue(listedFile.Path, out var found))
            {
                problems.Add(new("file.missing", $"{listedFile.Path} is in the signed manifest but not in the package", listedFile.Path));
                continue;
            }
            var (size, sha) = Digest(found[0]);
            if (size != listedFile.Size || sha != listedFile.Sha256)
            {
                problems.Add(new("file.modified", $"{listedFile.Path} differs from the signed manifest ({size} bytes, SHA-256 {sha}; signed: {listedFile.Size} bytes, {listedFile.Sha256})", listedFile.Path));
            }
        }
        return true;
    }

    internal static ZipArchiveEntry? Single(Dictionary<string, List<ZipArchiveEntry>> files, string name) =>
        files.TryGetValue(name, out var found) ? found[0] : null;

    internal static string ReadText(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open(), System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static (long Size, string Sha256) Digest(ZipArchiveEntry entry)
    {
        try
        {
            using var stream = entry.Open();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81_920];
            long size = 0;
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                hash.AppendData(buffer.AsSpan(0, read));
                size += read;
            }
            return (size, Convert.ToHexStringLower(hash.GetCurrentHash()));
        }
        catch (InvalidDataException ex)
        {
            return (-1, $"unreadable: {ex.Message}");
        }
    }
}
