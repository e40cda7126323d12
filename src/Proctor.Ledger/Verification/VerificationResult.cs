namespace Proctor.Ledger.Verification;

public enum ProblemKind
{
    /// <summary>The stored bytes no longer hash to the stored leaf hash.</summary>
    EditedPayload,

    /// <summary>An index has no entry.</summary>
    MissingIndex,

    /// <summary>The entry at this index names another index: entries were moved.</summary>
    Reordered,

    /// <summary>The store ends before the size of a signed checkpoint.</summary>
    Truncated,

    /// <summary>A checkpoint's signature does not verify with the public key, or the note is malformed.</summary>
    BadSignature,

    /// <summary>The tree rebuilt from the store differs from a signed root: entries before it were changed (leaf hashes included).</summary>
    CheckpointRootMismatch,

    /// <summary>A checkpoint is smaller than the one before it or has another origin.</summary>
    InconsistentCheckpoints,
}

/// <summary>What is wrong and the first ledger index it affects.</summary>
public sealed record VerificationProblem(ProblemKind Kind, long Index, string Message);

public sealed record VerificationResult(
    VerificationProblem? Problem, long EntriesChecked, long PurgedEntries, int CheckpointsChecked, long TreeSize, byte[] RootHash)
{
    public bool IsValid => Problem is null;
}

public sealed record VerificationProgress(long EntriesChecked, long TotalEntries);
