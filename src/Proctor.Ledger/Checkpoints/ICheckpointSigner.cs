namespace Proctor.Ledger.Checkpoints;

/// <summary>
/// Signs checkpoint notes. Asynchronous so that a key held in AWS KMS (ECC_NIST_P256, whose Sign returns the same
/// DER signature as the local key) can implement it. The private key MUST NOT leave the implementation.
/// </summary>
public interface ICheckpointSigner
{
    /// <summary>The signed-note key name, e.g. "bank.example/proctor-ledger".</summary>
    string KeyName { get; }

    /// <summary>The key in signed-note verifier key format: what an examiner needs to verify offline.</summary>
    NoteVerifierKey PublicKey { get; }

    /// <summary>The signature over the note text, without the key id.</summary>
    Task<byte[]> SignAsync(byte[] noteText, CancellationToken cancellationToken);
}
