using System.Text;

namespace Proctor.Configuration.Secrets;

/// <summary>
/// Resolves <c>${file:PATH}</c> to the contents of a file, as mounted by Docker/ECS/Kubernetes
/// secrets. A relative path is taken from <see cref="BaseDirectory"/> (the configuration file's
/// folder). One trailing line break is removed, since most tools that write such files add one.
/// </summary>
public sealed class FileSecretResolver : ISecretResolver
{
    public const string Scheme = "file";

    // A secret file holds one token, password or key; 64 KiB is far above any of those (a 4096-bit
    // RSA private key in PEM is about 3.3 KiB) and stops a wrong path (a log, a disk image) from
    // being read into memory.
    internal const int MaxBytes = 64 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public FileSecretResolver(string baseDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseDirectory);
        BaseDirectory = Path.GetFullPath(baseDirectory);
    }

    public string BaseDirectory { get; }

    public IReadOnlyCollection<string> Schemes { get; } = [Scheme];

    public SecretResolution Resolve(SecretReference reference)
    {
        var path = Path.GetFullPath(reference.Name, BaseDirectory);
        try
        {
            if (Directory.Exists(path))
            {
                return SecretResolution.Failed($"{path} is a folder; reference the file that holds the secret");
            }

            if (!File.Exists(path))
            {
                return SecretResolution.Failed($"file {path} does not exist; create it or change the reference");
            }

            // Read at most one byte past the limit, so a file that grows after a size check cannot get through.
            var buffer = new byte[MaxBytes + 1];
            int length;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            {
                length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            }

            if (length > MaxBytes)
            {
                return SecretResolution.Failed($"file {path} is larger than 64 KiB; a secret file holds a single value");
            }

            var bytes = buffer.AsSpan(0, length);
            if (bytes.StartsWith(Encoding.UTF8.Preamble))
            {
                bytes = bytes[Encoding.UTF8.Preamble.Length..];
            }

            var text = StrictUtf8.GetString(bytes);
            return SecretResolution.Resolved(TrimOneLineBreak(text));
        }
        catch (UnauthorizedAccessException)
        {
            return SecretResolution.Failed($"file {path} cannot be read (permission denied); let the gateway's user read it");
        }
        catch (DecoderFallbackException)
        {
            return SecretResolution.Failed($"file {path} is not UTF-8 text; store the secret as text (base64-encode binary keys)");
        }
        catch (IOException e)
        {
            // IOException messages name the path and the OS error, never file contents.
            return SecretResolution.Failed($"file {path} cannot be read: {e.Message}");
        }
    }

    private static string TrimOneLineBreak(string text) =>
        text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2]
        : text.EndsWith('\n') ? text[..^1]
        : text;
}
