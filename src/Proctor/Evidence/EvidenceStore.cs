using System.Security.Cryptography;
using Proctor.Approvals.Requests;
using Proctor.Configuration.Models;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Retention;
using Proctor.Ledger.Storage;
using Proctor.Masking;
using Proctor.Masking.Policy;
using Proctor.Storage.Sqlite.Files;
using Proctor.Storage.Sqlite.Ledger;
using Proctor.Storage.Sqlite.Ledger.Log;

namespace Proctor.Evidence;

/// <summary>
/// The gateway's evidence parts, opened from the data folder of <c>storage.path</c>: the ledger (its log beside the
/// database, and the database's index, checkpoints and holds),
/// its checkpoint signing key (<c>ledger-signing.key</c>), the checkpointer, and the masking engine
/// for the configured policy, with its token key (<c>masking-token.key</c>), and the retention schedule when
/// <c>storage.retention</c> is set. Keys are created on first run, readable by their owner only.
/// </summary>
internal sealed class EvidenceStore(SqliteLedgerStore store, EcdsaFileSigner signer, AuditLedger ledger, Checkpointer checkpointer, MaskingEngine masking, ArgumentDigest approvalDigest, ApprovalRequestState approvalState, RetentionSchedule? retention, Action<Exception> onCheckpointFailure, LedgerMetrics metrics) : IAsyncDisposable
{
    /// <summary>Permissions taken off the data folder and database at start (files earlier versions created 0755/0644), one sentence each, for the log.</summary>
    public IReadOnlyList<string> Tightened { get; private init; } = [];

    /// <summary>The CPUs the ledger's writer runs on (<c>storage.pinLedgerWriter</c>), or null where the scheduler places it.</summary>
    public IReadOnlyList<int>? WriterCpus { get; private init; }

    internal const string SigningKeyFile = "ledger-signing.key";
    private const string TokenKeyFile = "masking-token.key";
    private const string KeyName = "proctor-ledger";
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(10);

    /// <summary>The ledger database, for reads (the REST API); appends go through <see cref="Ledger"/>.</summary>
    public SqliteLedgerStore Store => store;

    public EcdsaFileSigner Signer => signer;

    public AuditLedger Ledger => ledger;

    public Checkpointer Checkpointer => checkpointer;

    public MaskingEngine Masking => masking;

    /// <summary>The keyed digest approvals bind arguments with (decision 0037): derived from the masking token key, so it survives restarts with it.</summary>
    public ArgumentDigest ApprovalDigest => approvalDigest;

    /// <summary>Protects the request state of 2026-07-28 callers waiting for approval (decision 0042): its own key, derived like the digest's.</summary>
    public ApprovalRequestState ApprovalState => approvalState;

    /// <summary>Null when <c>storage.retention</c> is not configured: payloads are kept until an operator purges them.</summary>
    public RetentionSchedule? Retention => retention;

    /// <param name="policy">The configuration's masking policy (<see cref="GatewayModel.Masking"/>), validated already when the configuration loaded.</param>
    /// <param name="meterTags">Tags on the ledger's meter (<see cref="LedgerMetrics"/>); only for hosting several gateways in one process.</param>
    /// <param name="benchmarkAppendTarget">Benchmarks only (decision 0031): wraps or replaces the store appends commit to; null in the product.</param>
    public static async Task<EvidenceStore> OpenAsync(StorageSettings storage, MaskingPolicy policy, TimeProvider time, Action<Exception> onCheckpointFailure, Action<Exception> onRetentionFailure, CancellationToken cancellationToken, IEnumerable<KeyValuePair<string, object?>>? meterTags = null, Func<IEntryStore, IEntryStore>? benchmarkAppendTarget = null)
    {
        var folder = Path.GetDirectoryName(storage.Path)!;
        var tightened = OwnerOnlyDatabase.Secure(storage.Path);
        var store = await SqliteLedgerStore.OpenAsync(storage.Path, storage.LockTimeout, cancellationToken).ConfigureAwait(false);
        try
        {
            // Before the first call: cut what an unclean stop left unfinished, or refuse to start on a damaged log.
            await store.RecoverAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var signer = EcdsaFileSigner.OpenOrCreate(Path.Combine(folder, SigningKeyFile), KeyName);
        var metrics = new LedgerMetrics(meterTags);
        var writerCpus = storage.PinLedgerWriter ? DiskCompletionCpus.Find(store.LogFolderPath) : null;
        var ledger = new AuditLedger(benchmarkAppendTarget?.Invoke(store) ?? store, new LedgerOptions { Time = time, Metrics = metrics, WriterCpus = writerCpus });
        var checkpointer = new Checkpointer(store, signer, new CheckpointerOptions { Origin = OriginOf(signer), Interval = CheckpointInterval, OnFailure = onCheckpointFailure }, time);
        var tokenKey = TokenKey(Path.Combine(folder, TokenKeyFile));
        var masking = MaskingEngine.Create(policy, tokenKey, time);
        var approvalDigest = new ArgumentDigest(HKDF.DeriveKey(HashAlgorithmName.SHA256, tokenKey, 32, salt: [], info: "proctor approvals: arguments digest v1"u8.ToArray()));
        var approvalState = new ApprovalRequestState(HKDF.DeriveKey(HashAlgorithmName.SHA256, tokenKey, 32, salt: [], info: "proctor approvals: request state v1"u8.ToArray()));
        var retention = storage.Retention is { } period
            ? new RetentionSchedule(new PayloadPurger(ledger, store, time), store, new RetentionScheduleOptions { Retention = period.ToString(), CutoffAt = period.CutoffAt, Interval = storage.RetentionCheckInterval, OnFailure = onRetentionFailure }, time)
            : null;
        return new EvidenceStore(store, signer, ledger, checkpointer, masking, approvalDigest, approvalState, retention, onCheckpointFailure, metrics) { Tightened = tightened, WriterCpus = writerCpus };
    }

    /// <summary>The checkpoint origin line: stable for one signing key, different for every ledger.</summary>
    internal static string OriginOf(EcdsaFileSigner signer) => $"proctor-ledger/{signer.PublicKey.KeyId:x8}";

    /// <summary>Stops appending (waiting appends commit first), signs a last checkpoint over everything, then closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        if (retention is not null)
        {
            await retention.StopAsync().ConfigureAwait(false);
        }

        await checkpointer.StopAsync().ConfigureAwait(false);
        await ledger.DisposeAsync().ConfigureAwait(false);
        try
        {
            await checkpointer.CheckpointAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            onCheckpointFailure(ex);
        }

        await checkpointer.DisposeAsync().ConfigureAwait(false);
        await store.DisposeAsync().ConfigureAwait(false);
        signer.Dispose();
        metrics.Dispose();
    }

    /// <summary>The HMAC key of <c>token</c> masking: equal values give equal tokens across restarts, so it persists.</summary>
    private static byte[] TokenKey(string path) => OperatingSystem.IsWindows()
        ? throw new PlatformNotSupportedException("The gateway keeps owner-only key files with Unix file modes; run it on Linux.")
        : OwnerOnlyFile.ReadOrCreate(path, () => RandomNumberGenerator.GetBytes(MaskingEngine.MinTokenKeyBytes), "the masking token key");
}
