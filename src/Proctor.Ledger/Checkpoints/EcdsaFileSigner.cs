using System.Security.Cryptography;

namespace Proctor.Ledger.Checkpoints;

/// <summary>
/// ECDSA P-256 checkpoint signer whose private key is a PKCS#8 PEM file, created on first use with mode 0600.
/// A key file that group or others may read is refused: anyone who can read it can forge checkpoints.
/// </summary>
public sealed class EcdsaFileSigner : ICheckpointSigner, IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly ECDsa _key;

    private EcdsaFileSigner(string keyName, ECDsa key, bool created)
    {
        KeyName = keyName;
        _key = key;
        Created = created;
        PublicKey = NoteVerifierKey.ForEcdsa(keyName, key.ExportSubjectPublicKeyInfo());
    }

    public string KeyName { get; }
    public NoteVerifierKey PublicKey { get; }

    /// <summary>True if this call created the key file: the host then records a ledger.key event.</summary>
    public bool Created { get; }

    public static EcdsaFileSigner OpenOrCreate(string path, string keyName)
    {
        if (!File.Exists(path))
        {
            return Create(path, keyName);
        }
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            var shared = mode & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            if (shared != UnixFileMode.None)
            {
                throw new InvalidOperationException(
                    $"The ledger key file {path} can be read by others (mode {Convert.ToString((int)mode, 8)}); run `chmod 600 {path}`, and rotate the key if others may have read it.");
            }
        }
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        if (key.KeySize != 256)
        {
            throw new InvalidOperationException($"The ledger key file {path} holds a {key.KeySize}-bit key; checkpoints are signed with ECDSA P-256.");
        }
        return new EcdsaFileSigner(keyName, key, created: false);
    }

    public Task<byte[]> SignAsync(byte[] noteText, CancellationToken cancellationToken) =>
        Task.FromResult(_key.SignData(noteText, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    public void Dispose() => _key.Dispose();

    private static EcdsaFileSigner Create(string path, string keyName)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }
        using (var file = new StreamWriter(path, options))
        {
            file.Write(key.ExportPkcs8PrivateKeyPem());
        }
        return new EcdsaFileSigner(keyName, key, created: true);
    }
}
