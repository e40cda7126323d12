namespace Proctor.Evidence.Reports;

/// <summary>
/// The detectors' measured accuracy for this release, copied from docs/masking-accuracy.md ("Result": base corpus,
/// seed 20261124). Kept as data so a package states the figures of the code that masked its events; when the corpus
/// is re-run, update both together.
/// </summary>
public static class MaskingAccuracy
{
    public const string Source = "docs/masking-accuracy.md, base corpus, seed 20261124 (tests/Proctor.Masking.Tests/Corpus)";

    public const int HardNegatives = 6200;
    public const int HardNegativesWithAnyFinding = 0;

    /// <summary>The document's own caveat, carried with the figures so no reader takes them for field accuracy.</summary>
    public const string Caveat = "The corpus and the detectors have one author: a perfect score shows the stated rules hold and guards against regressions; it is not an estimate of accuracy on real bank traffic. Values with no structure (names, street addresses) are not detected; field rules and deny-lists cover them.";

    public static IReadOnlyList<DetectorAccuracy> ByEntity { get; } =
    [
        new("aba_routing", 300, 300, 0),
        new("auth_header", 600, 600, 0),
        new("aws_access_key", 300, 300, 0),
        new("aws_secret_key", 300, 300, 0),
        new("bank_account", 300, 300, 0),
        new("card", 600, 600, 0),
        new("date_of_birth", 300, 300, 0),
        new("ein", 300, 300, 0),
        new("email", 300, 300, 0),
        new("github_token", 300, 300, 0),
        new("iban", 300, 300, 0),
        new("ip_address", 300, 300, 0),
        new("itin", 300, 300, 0),
        new("jwt", 300, 300, 0),
        new("phone", 300, 300, 0),
        new("private_key", 300, 300, 0),
        new("slack_token", 300, 300, 0),
        new("ssn", 900, 900, 0),
    ];
}

public sealed record DetectorAccuracy(string Entity, int Positives, int TruePositives, int FalsePositives)
{
    public double Recall => (double)TruePositives / Positives;

    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);
}
