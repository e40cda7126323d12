using System.IO.Compression;

namespace Proctor.Evidence.Package;

/// <summary>Writes package files as zip entries, one at a time, hashing each as it is written for the manifest.</summary>
internal sealed class ZipPackageSink(ZipArchive archive) : IPackageSink
{
    private readonly List<ManifestEntry> _written = [];

    public IReadOnlyList<ManifestEntry> Written => _written;

    public async Task WriteFileAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        if (path == PackageFiles.Manifest || _written.Any(w => w.Path == path))
        {
            throw new InvalidOperationException($"The package already has a file {path}; every path is written once.");
        }
        // Fastest: the events file dominates and compresses well enough at level 1 (bench/Proctor.Bench.Evidence).
        var entry = archive.CreateEntry(path, CompressionLevel.Fastest);
        await using var zipped = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var hashing = new HashingStream(zipped);
        await write(hashing, cancellationToken).ConfigureAwait(false);
        _written.Add(new ManifestEntry(path, hashing.Written, hashing.Sha256Hex()));
    }
}
