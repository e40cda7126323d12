namespace Proctor.Evidence.Verification;

/// <summary>One reason a package does not verify: a stable code (docs/evidence.md, "Verifying"), what was found, and where.</summary>
public sealed record VerificationProblem(string Code, string Message, string? File = null, long? Index = null);

/// <summary>The verdict on one package: verified when there is no problem.</summary>
public sealed record PackageVerdict
{
    public required IReadOnlyList<VerificationProblem> Problems { get; init; }
    public bool Verified => Problems.Count == 0;

    /// <summary>False when the key came from the package itself: the package is then only self-consistent, not proven to come from the ledger the examiner trusts.</summary>
    public bool KeyPinned { get; init; }
    public string? KeyId { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? Server { get; init; }
    public string? Identity { get; init; }
    public long FirstIndex { get; init; }
    public long EndIndex { get; init; }
    public long TreeSize { get; init; }
    public long EventsIncluded { get; init; }
    public long EventsWithheld { get; init; }
    public int CheckpointsChecked { get; init; }

    /// <summary>The tree size of the examiner's own checkpoint (<c>--checkpoint</c>) when one was given and found consistent.</summary>
    public long? KnownCheckpointSize { get; init; }
}

/// <summary>The file is not a package at all (not a zip, unreadable): exit code 2, not a verdict.</summary>
public sealed class PackageUnreadableException(string message, Exception? inner = null) : Exception(message, inner);
