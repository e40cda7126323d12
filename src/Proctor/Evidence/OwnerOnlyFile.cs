using System.Runtime.Versioning;

namespace Proctor.Evidence;

/// <summary>The gateway's own secret files (masking token key, demo issuer key): created readable by their owner only, refused if others can read them.</summary>
[UnsupportedOSPlatform("windows")]
internal static class OwnerOnlyFile
{
    private const UnixFileMode Shared = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>The file's bytes, writing <paramref name="create"/>'s result first (mode 0600) when it does not exist yet.</summary>
    public static byte[] ReadOrCreate(string path, Func<byte[]> create, string what)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
            created.Write(create());
        }

        if ((File.GetUnixFileMode(path) & Shared) != 0)
        {
            throw new InvalidOperationException($"{path} ({what}) is readable or writable by other users; it must be private. Run: chmod 600 {path}, and replace it if others may have read it.");
        }

        return File.ReadAllBytes(path);
    }
}
