using System.IO.Compression;
using System.Text;
using Proctor.Evidence.Package;
using Proctor.Evidence.Verification;
using Proctor.Ledger.Checkpoints;

namespace Proctor.Evidence.Tests;

/// <summary>A package opened as an ordered list of files, to be altered and written back the way a forger would.</summary>
internal sealed class PackageZip
{
    private PackageZip(List<(string Path, byte[] Bytes)> files) => Files = files;

    public List<(string Path, byte[] Bytes)> Files { get; }

    public static PackageZip Open(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var files = new List<(string, byte[])>();
        foreach (var entry in archive.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files.Add((entry.FullName, copy.ToArray()));
        }
        return new PackageZip(files);
    }

    public string Text(string path) => Encoding.UTF8.GetString(Files.Single(f => f.Path == path).Bytes);

    public string[] Lines(string path) => Text(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public PackageZip With(string path, byte[] bytes) =>
        new([.. Files.Select(f => f.Path == path ? (path, bytes) : f)]);

    public PackageZip With(string path, string text) => With(path, Encoding.UTF8.GetBytes(text));

    public PackageZip WithLines(string path, IEnumerable<string> lines) => With(path, string.Join("", lines.Select(l => l + "\n")));

    public PackageZip Without(string path) => new([.. Files.Where(f => f.Path != path)]);

    public PackageZip Adding(string path, string text) => new([.. Files, (path, Encoding.UTF8.GetBytes(text))]);

    /// <summary>Signs a new manifest over the files as they are now: what only the holder of <paramref name="signer"/> can do.</summary>
    public async Task<PackageZip> ResignedAsync(ICheckpointSigner signer)
    {
        var entries = Files.Where(f => f.Path != PackageFiles.Manifest)
            .Select(f => new ManifestEntry(f.Path, f.Bytes.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(f.Bytes))));
        return With(PackageFiles.Manifest, await Manifest.SignAsync(entries, signer, default));
    }

    public byte[] ToZip()
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, bytes) in Files)
            {
                using var stream = archive.CreateEntry(path).Open();
                stream.Write(bytes);
            }
        }
        return output.ToArray();
    }

    public static PackageVerdict Verify(byte[] zip, NoteVerifierKey? key, string? known = null) => PackageVerifier.Verify(new MemoryStream(zip), key, known);
}
