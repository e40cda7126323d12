namespace Proctor.Evidence.Package;

/// <summary>Where the files of a package go. Every file written here is listed, with its SHA-256, in the signed manifest.</summary>
public interface IPackageSink
{
    /// <summary>Adds one file at <paramref name="path"/> (forward slashes, relative to the package root), written by <paramref name="write"/>.</summary>
    Task WriteFileAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken);
}
