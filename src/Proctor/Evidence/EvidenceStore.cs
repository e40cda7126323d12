using System.Security.Cryptography;
using Proctor.Configuration;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Checkpoints;
using Proctor.Masking;
using Proctor.Masking.Policy;
using Proctor.Storage.Sqlite.Ledger;

namespace Proctor.Evidence;

/// <summary>
/// The gateway's evidence parts, opened from the data folder of <c>storage.path</c>: the SQLite ledger,
/// its checkpoint signing key (<c>ledger-signing.key</c>), the checkpointer, and the masking engine
/// with its token key (<c>masking-token.key</c>). Keys are created on first run, readable by their owner only.
/// </summary>
internal sealed class EvidenceStore : IAsyncDisposable
{
    public const string SigningKeyFile = "ledger-signing.key";
    public const string TokenKeyFile = "masking-token.key";
    public const string KeyName = "proctor-ledger";
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(10);

    private readonly Action<Exception> _onCheckpointFailure;

    private EvidenceStore(SqliteLedgerStore store, EcdsaFileSigner signer, AuditLedger ledger, Checkpointer checkpointer, MaskingEngine masking, Action<Exception> onCheckpointFailure)
    {
        _onCheckpointFailure = onCheckpointFailure;
        Store = store;
        Signer = signer;
        Ledger = ledger;
        Checkpointer = checkpointer;
        Masking = masking;
    }

    public SqliteLedgerStore Store { get; }

    public EcdsaFileSigner Signer { get; }

    public AuditLedger Ledger { get; }

    public Checkpointer Checkpointer { get; }

    public MaskingEngine Masking { get; }

    public static async Task<EvidenceStore> OpenAsync(StorageSettings storage, TimeProvider time, Action<Exception> onCheckpointFailure, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(storage.Path)!;
        Directory.CreateDirectory(folder);
        var store = await SqliteLedgerStore.OpenAsync(storage.Path, cancellationToken: cancellationToken).ConfigureAwait(false);
        var signer = EcdsaFileSigner.OpenOrCreate(Path.Combine(folder, SigningKeyFile), KeyName);
        var ledger = new AuditLedger(store);
        var checkpointer = new Checkpointer(store, signer, new CheckpointerOptions { Origin = OriginOf(signer), Interval = CheckpointInterval, OnFailure = onCheckpointFailure }, time);
        var masking = MaskingEngine.Create(new MaskingPolicy(), OwnerOnlyKey(Path.Combine(folder, TokenKeyFile)), time);
        return new EvidenceStore(store, signer, ledger, checkpointer, masking, onCheckpointFailure);
    }

    /// <summary>The checkpoint origin line: stable for one signing key, different for every ledger.</summary>
    public static string OriginOf(EcdsaFileSigner signer) => $"proctor-ledger/{signer.PublicKey.KeyId:x8}";

    /// <summary>Stops appending (waiting appends commit first), signs a last checkpoint over everything, then closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        await Checkpointer.StopAsync().ConfigureAwait(false);
        await Ledger.DisposeAsync().ConfigureAwait(false);
        try
        {
            await Checkpointer.CheckpointAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _onCheckpointFailure(ex);
        }

        await Checkpointer.DisposeAsync().ConfigureAwait(false);
        await Store.DisposeAsync().ConfigureAwait(false);
        Signer.Dispose();
    }

    /// <summary>The HMAC key of <c>token</c> masking: equal values give equal tokens across restarts, so it persists.</summary>
    private static byte[] OwnerOnlyKey(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The gateway keeps owner-only key files with Unix file modes; run it on Linux.");
        }

        if (!File.Exists(path))
        {
            using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
            created.Write(RandomNumberGenerator.GetBytes(32));
        }

        if ((File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw new InvalidOperationException($"{path} is readable or writable by other users; the masking token key must be private. Run: chmod 600 {path}");
        }

        return File.ReadAllBytes(path);
    }
}
